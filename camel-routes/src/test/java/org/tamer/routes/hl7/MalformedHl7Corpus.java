package org.tamer.routes.hl7;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * Malformed HL7 v2 ECG messages, each derived from a valid message built from a real PTB-XL record by one defect,
 * with the answer the gateway owes: a reject (AR/CR) or an error (AE/CE), and the ERR location it must name.
 * Shared with the gateway's tests through the test-jar.
 */
public final class MalformedHl7Corpus {

    /** One defective message. {@code location} is the expected start of the exception's location. */
    public record Case(String name, String message, boolean reject, String location) {
    }

    private static final ZonedDateTime SENT = ZonedDateTime.of(2026, 11, 24, 9, 30, 0, 0, ZoneOffset.UTC);

    private MalformedHl7Corpus() {
    }

    /** At least 40 cases built from {@code record} (a 12-lead, 500 Hz recording); control ids start with {@code prefix}. */
    public static List<Case> build(EcgRecord record, String prefix) {
        String ma = writer(WaveformStyle.CHAPTER_7_MULTIPLEXED).write(record, prefix + "-MA", SENT);
        String na = writer(WaveformStyle.CHAPTER_7_PER_CHANNEL).write(record, prefix + "-NA", SENT);
        String pcd = writer(WaveformStyle.IHE_PCD_01).write(record, prefix + "-PCD", SENT);
        List<Case> cases = new ArrayList<>();
        int[] n = {0};
        UnaryOperator<String> id = m -> m.replaceFirst("\\|" + prefix + "-(MA|NA|PCD)\\|", "|" + prefix + "-" + (++n[0]) + "|");

        // Envelope: rejected.
        cases.add(reject("empty message", "", "MSH"));
        cases.add(reject("starts with PID", pcd.substring(pcd.indexOf("PID|")), "MSH"));
        cases.add(reject("binary junk", "\u0000\u0001\u0002garbage", "MSH"));
        cases.add(reject("LF segment separators", id.apply(pcd).replace('\r', '\n'), "MSH"));
        cases.add(reject("CRLF segment separators", id.apply(pcd).replace("\r", "\r\n"), "MSH"));
        cases.add(reject("LF after OBR only", id.apply(pcd).replaceFirst("(OBR\\|[^\r]*)\r", "$1\n"), "OBR"));
        cases.add(reject("three encoding characters", id.apply(pcd).replaceFirst("^MSH\\|\\^~\\\\&\\|", "MSH|^~\\\\|"), "MSH-2"));
        cases.add(reject("letters as encoding characters", id.apply(pcd).replaceFirst("^MSH\\|\\^~\\\\&\\|", "MSH|ab\\\\&|"), "MSH-2"));
        cases.add(reject("repeated encoding characters", id.apply(pcd).replaceFirst("^MSH\\|\\^~\\\\&\\|", "MSH|^^\\\\&|"), "MSH-2"));
        cases.add(reject("field separator is a letter", "MSHX" + id.apply(pcd).substring(4).replace('|', 'X'), "MSH-1"));
        cases.add(reject("encoding characters include the field separator", id.apply(pcd).replaceFirst("^MSH\\|\\^~\\\\&\\|", "MSH|^~|&|"), "MSH-2"));
        cases.add(reject("ADT message", id.apply(pcd).replace("ORU^R01^ORU_R01", "ADT^A01^ADT_A01"), "MSH-9"));
        cases.add(reject("ORU^R30 event", id.apply(pcd).replace("ORU^R01^ORU_R01", "ORU^R30^ORU_R30"), "MSH-9.2"));
        cases.add(reject("no trigger event", id.apply(pcd).replace("ORU^R01^ORU_R01", "ORU"), "MSH-9.2"));
        cases.add(reject("empty control id", pcd.replace("|" + prefix + "-PCD|", "||"), "MSH-10"));
        cases.add(reject("processing id X", id.apply(pcd).replace("|P|2.5.1", "|X|2.5.1"), "MSH-11"));
        cases.add(reject("version 2.2", id.apply(pcd).replace("|P|2.5.1", "|P|2.2"), "MSH-12"));
        cases.add(reject("version 3.0", id.apply(pcd).replace("|P|2.5.1", "|P|3.0"), "MSH-12"));
        cases.add(reject("no version", id.apply(pcd).replace("|P|2.5.1", "|P|"), "MSH-12"));
        cases.add(reject("truncated inside MSH", "MSH|^~\\&|CART|WARD7|TAMER", "MSH-9"));

        // Content: errors.
        cases.add(error("no OBR", id.apply(pcd).replaceFirst("OBR\\|[^\r]*\r", ""), "OBR"));
        cases.add(error("no waveform, only the report", keepOnly(id.apply(pcd), "TX"), "OBX-2"));
        cases.add(error("CD without sampling frequency", id.apply(ma).replaceFirst("\\^1&0&0\\^500\\^", "^1&0&0^^"), "OBX[1]-5.5"));
        cases.add(error("CD sampling frequency not a number", id.apply(ma).replaceFirst("\\^1&0&0\\^500\\^", "^1&0&0^fast^"), "OBX[1]-5.5"));
        cases.add(error("CD sampling frequency zero", id.apply(ma).replaceFirst("\\^1&0&0\\^500\\^", "^1&0&0^0^"), "OBX[1]-5.5"));
        cases.add(error("CD channels at different rates", id.apply(ma).replaceFirst("(OBX\\|2\\|CD\\|[^\r]*)\\^500\\^", "$1^250^"), "OBX[2]-5.5"));
        cases.add(error("CD unit not a voltage", id.apply(ma).replaceFirst("1&uV&microvolt&UCUM", "1&kg&kilogram&UCUM"), "OBX[1]-5.3"));
        cases.add(error("CD sensitivity not a number", id.apply(ma).replaceFirst("1&uV&microvolt&UCUM", "x&uV&microvolt&UCUM"), "OBX[1]-5.3"));
        cases.add(error("CD names no lead", id.apply(ma).replaceFirst("OBX\\|1\\|CD\\|131073\\^MDC_ECG_LEAD_I\\^MDC\\|1\\|1&I\\^", "OBX|1|CD|^^|1|1^"), "OBX[1]-5.1"));
        cases.add(error("CD correction factor not a number", id.apply(ma).replaceFirst("\\^1&0&0\\^", "^one&0&0^"), "OBX[1]-5.4"));
        cases.add(error("MA row with a value missing", id.apply(ma).replaceFirst("(\\|MA\\|[^|]*\\|1\\|(?:[^~]*~){9})[^^~]*\\^", "$1"), "OBX[14]-5"));
        cases.add(error("MA value not a number", id.apply(ma).replaceFirst("(\\|MA\\|[^|]*\\|1\\|(?:[^~]*~){3})[^^~]*", "$1abc"), "OBX[14]-5"));
        cases.add(error("MA data in a group without channels", id.apply(ma).replaceFirst("\\|MA\\|([^|]*)\\|1\\|", "|MA|$1|2|"), "OBX[14]-4"));
        cases.add(error("channels without data", id.apply(ma).replaceFirst("OBX\\|14\\|MA\\|[^\r]*\r", ""), "OBX[1]-4"));
        cases.add(error("NA segments fewer than channels", id.apply(na).replaceFirst("OBX\\|14\\|NA\\|[^\r]*\r", ""), "OBX[14]-4"));
        cases.add(error("NA channels of unequal length", id.apply(na).replaceFirst("(OBX\\|15\\|NA\\|[^|]*\\|1\\|)[^^]*\\^", "$1"), "OBX-5"));
        cases.add(error("PCD unknown lead code", id.apply(pcd).replace("|131073^MDC_ECG_LEAD_I^MDC|", "|999999^MDC_UNKNOWN^MDC|"), "OBX[2]-3"));
        cases.add(error("PCD lead without units", id.apply(pcd).replaceFirst("(OBX\\|3\\|NA\\|[^|]*\\|[^|]*\\|[^|]*)\\|266419\\^MDC_DIM_MICRO_VOLT\\^MDC", "$1|"), "OBX[3]-6"));
        cases.add(error("PCD units not a voltage", id.apply(pcd).replaceFirst("(OBX\\|4\\|NA\\|[^|]*\\|[^|]*\\|[^|]*)\\|266419\\^MDC_DIM_MICRO_VOLT\\^MDC", "$1|kg^kilogram^UCUM"), "OBX[4]-6"));
        cases.add(error("PCD no sampling rate", id.apply(pcd).replaceFirst("OBX\\|1\\|NM\\|68220[^\r]*\r", ""), "OBX-3"));
        cases.add(error("PCD sampling rate zero", id.apply(pcd).replaceFirst("(68220\\^MDC_ATTR_SAMP_RATE\\^MDC\\|1.0.0.1\\|)500", "$10"), "OBX-5"));
        cases.add(error("PCD sampling rate not a number", id.apply(pcd).replaceFirst("(68220\\^MDC_ATTR_SAMP_RATE\\^MDC\\|1.0.0.1\\|)500", "$1fast"), "OBX[1]-5"));
        cases.add(error("PCD duplicate lead", id.apply(pcd).replace("|131074^MDC_ECG_LEAD_II^MDC|", "|131073^MDC_ECG_LEAD_I^MDC|"), "OBX[3]-3"));
        cases.add(error("PCD leads of unequal length", id.apply(pcd).replaceFirst("(OBX\\|5\\|NA\\|[^|]*\\|[^|]*\\|)[^^]*\\^", "$1"), "OBX-5"));
        cases.add(error("PCD infinite sample", id.apply(pcd).replaceFirst("(OBX\\|6\\|NA\\|[^|]*\\|[^|]*\\|)[^^]*", "$11e999"), "OBX[6]-5"));
        cases.add(error("PCD sample with two points", id.apply(pcd).replaceFirst("(OBX\\|7\\|NA\\|[^|]*\\|[^|]*\\|)[^^]*", "$112.5.3"), "OBX[7]-5"));
        cases.add(error("PCD empty arrays", id.apply(pcd).replaceAll("(OBX\\|\\d+\\|NA\\|[^|]*\\|[^|]*\\|)[^|]*", "$1"), "OBX"));
        return List.copyOf(cases);
    }

    private static Hl7WaveformWriter writer(WaveformStyle style) {
        return new Hl7WaveformWriter(style, "2.5.1", WaveformScale.MICROVOLT, "CART", "WARD7");
    }

    private static String keepOnly(String message, String valueType) {
        StringBuilder out = new StringBuilder();
        for (String segment : message.split("\r")) {
            if (!segment.startsWith("OBX|") || segment.split("\\|", 4)[2].equals(valueType)) {
                out.append(segment).append('\r');
            }
        }
        return out.toString();
    }

    private static Case reject(String name, String message, String location) {
        return new Case(name, message, true, location);
    }

    private static Case error(String name, String message, String location) {
        return new Case(name, message, false, location);
    }
}
