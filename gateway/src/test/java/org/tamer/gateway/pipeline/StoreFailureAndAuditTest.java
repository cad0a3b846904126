package org.tamer.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.gateway.audit.AuditEvents;
import org.tamer.gateway.metrics.GatewayMetrics;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.testing.MigratedPostgres;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7WaveformAdapter;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.testdata.SharedData;

/**
 * The MLLP intake against a real PostgreSQL store. A store that cannot commit (the gateway connected as a role
 * that may read but not insert, as after a wrong grant or a read-only failover) answers AR with ERR condition 207
 * (application internal error), which asks the sender to resend, and keeps nothing; a stored message leaves a FHIR
 * AuditEvent row (DICOM "110107 Import", action C, outcome 0, the message as entity) without patient data.
 */
class StoreFailureAndAuditTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private MigratedPostgres postgres;
    private String readOnlyRole;
    private Hl7WaveformAdapter adapter;

    @BeforeEach
    void database() {
        postgres = new MigratedPostgres();
        readOnlyRole = postgres.name() + "_reader";
        postgres.execute("CREATE ROLE " + readOnlyRole + " LOGIN");
        postgres.execute("GRANT USAGE ON SCHEMA public TO " + readOnlyRole);
        postgres.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + readOnlyRole);
        adapter = new Hl7WaveformAdapter(new MdcLeadCodes());
    }

    @AfterEach
    void drop() throws Exception {
        adapter.close();
        postgres.execute("DROP OWNED BY " + readOnlyRole);
        postgres.close();
        try (var c = new org.postgresql.ds.PGSimpleDataSource() {
            {
                setUrl("jdbc:postgresql://" + System.getenv().getOrDefault("TAMER_IT_PG", "127.0.0.1:5432")
                        + "/postgres");
                setUser(System.getenv().getOrDefault("TAMER_IT_PG_USER", "postgres"));
            }
        }.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP ROLE IF EXISTS " + readOnlyRole);
        }
    }

    private Hl7MessageIntake intake(javax.sql.DataSource dataSource) {
        return new Hl7MessageIntake(adapter, new Hl7Acknowledgement("TAMER", "TEST"),
                new MessageStore(dataSource, Clock.systemUTC()), new AuditEvents(FHIR, "tamer-gateway:test"),
                new GatewayMetrics(new SimpleMeterRegistry()), new Hl7Charset(StandardCharsets.ISO_8859_1), 8_388_608,
                new Preprocessor(PreprocessingConfig.paperDefaults())::check, Clock.systemUTC());
    }

    private static byte[] message(String controlId) {
        EcgRecord record = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS).read("3");
        return new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT, "CART", "WARD7")
                .write(record, controlId, ZonedDateTime.of(2026, 11, 24, 9, 0, 0, 0, ZoneOffset.UTC))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aStoreThatCannotCommitAnswersAr207AndKeepsNothing() throws Exception {
        String ack = new String(intake(postgres.as(readOnlyRole)).receive(message("RO1"), "10.0.0.7").orElseThrow(),
                StandardCharsets.ISO_8859_1);
        assertTrue(ack.contains("\rMSA|AR|RO1"), ack);
        String err = List.of(ack.split("\r")).stream().filter(s -> s.startsWith("ERR|")).findFirst().orElseThrow();
        assertTrue(err.contains("207"), "HL7 table 0357 condition 207, application internal error: " + err);
        assertEquals(0, rows("message"), "nothing half-stored");

        String accepted = new String(intake(postgres.dataSource()).receive(message("RO1"), "10.0.0.7").orElseThrow(),
                StandardCharsets.ISO_8859_1);
        assertTrue(accepted.contains("\rMSA|AA|RO1"), "the resend, once the store can commit: " + accepted);
        assertEquals(1, rows("message"));
    }

    @Test
    void aStoredMessageLeavesAnAuditEventRowWithoutPatientData() throws Exception {
        byte[] raw = message("AU1");
        String ack = new String(intake(postgres.dataSource()).receive(raw, "10.0.0.8").orElseThrow(),
                StandardCharsets.ISO_8859_1);
        assertTrue(ack.contains("\rMSA|AA|AU1"), ack);
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT a.action, a.outcome, a.resource, m.id FROM audit_event a "
                     + "JOIN message m ON m.id = a.message_id")) {
            assertTrue(r.next(), "one audit row");
            assertEquals("received", r.getString(1));
            assertEquals("0", r.getString(2));
            AuditEvent event = FHIR.newJsonParser().parseResource(AuditEvent.class, r.getString(3));
            assertEquals("http://dicom.nema.org/resources/ontology/DCM", event.getType().getSystem());
            assertEquals("110107", event.getType().getCode(), "DICOM CID 400: Import");
            assertEquals(AuditEvent.AuditEventAction.C, event.getAction());
            assertEquals(AuditEvent.AuditEventOutcome._0, event.getOutcome());
            assertEquals("AU1", event.getEntityFirstRep().getWhat().getIdentifier().getValue());
            assertTrue(event.getAgent().stream().anyMatch(a -> "10.0.0.8".equals(a.getNetwork().getAddress())),
                    "the sender's address");
            String text = r.getString(3);
            String pid = List.of(new String(raw, StandardCharsets.ISO_8859_1).split("\r")).stream()
                    .filter(seg -> seg.startsWith("PID|")).findFirst().orElseThrow();
            for (String field : pid.split("[|^]")) {
                if (field.length() > 3 && !field.equals("PID")) {
                    assertFalse(text.contains(field), "patient data '" + field + "' in the audit event");
                }
            }
            assertFalse(r.next(), "exactly one audit row");
        }
    }

    private long rows(String table) throws Exception {
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }
}
