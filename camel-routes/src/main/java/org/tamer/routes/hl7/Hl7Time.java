package org.tamer.routes.hl7;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads HL7 v2 DTM/TS values (YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]); no zone means UTC. */
final class Hl7Time {

    private static final Pattern DTM = Pattern.compile(
            "(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(?:\\.(\\d{1,4}))?([+-]\\d{4})?");

    private Hl7Time() {
    }

    static Optional<OffsetDateTime> parse(String value) {
        Matcher m = DTM.matcher(value.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        int nanos = 0;
        if (m.group(7) != null) {
            String fraction = (m.group(7) + "000000000").substring(0, 9);
            nanos = Integer.parseInt(fraction);
        }
        try {
            // inside the try: an offset such as +0095 (minutes over 59) is as invalid as a 13th month
            ZoneOffset zone = m.group(8) == null ? ZoneOffset.UTC : ZoneOffset.of(m.group(8).substring(0, 3) + ":"
                    + m.group(8).substring(3));
            LocalDateTime time = LocalDateTime.of(Integer.parseInt(m.group(1)), number(m.group(2), 1),
                    number(m.group(3), 1), number(m.group(4), 0), number(m.group(5), 0), number(m.group(6), 0), nanos);
            return Optional.of(time.atOffset(zone));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    private static int number(String group, int absent) {
        return group == null ? absent : Integer.parseInt(group);
    }
}
