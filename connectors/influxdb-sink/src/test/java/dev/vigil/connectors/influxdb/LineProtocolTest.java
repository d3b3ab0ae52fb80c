package dev.vigil.connectors.influxdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LineProtocolTest {

    private static final long TS = 1_700_000_000_123L;

    private final LineProtocol lp = new LineProtocol();

    @Test
    void encodesAPlainPoint() {
        String line =
                lp.measurement("cpu")
                        .tag("host", "a1")
                        .tag("dc", "x")
                        .field("value", 0.5)
                        .field("count", 3L)
                        .field("ok", true)
                        .field("note", "fine")
                        .timestampMs(TS)
                        .build();

        assertThat(line)
                .isEqualTo("cpu,host=a1,dc=x value=0.5,count=3i,ok=true,note=\"fine\" " + TS);
    }

    @Test
    void escapesMeasurementCommaAndSpaceButNotEquals() {
        assertThat(lp.measurement("my m,x=y").field("f", 1L).build())
                .isEqualTo("my\\ m\\,x=y f=1i");
    }

    @Test
    void escapesTagAndFieldKeysAndTagValues() {
        String line =
                lp.measurement("m")
                        .tag("k ey,=", "v al,u=e")
                        .field("f i,e=ld", 1L)
                        .timestampMs(1)
                        .build();

        assertThat(line).isEqualTo("m,k\\ ey\\,\\==v\\ al\\,u\\=e f\\ i\\,e\\=ld=1i 1");
    }

    @Test
    void keepsQuotesUnicodeAndEmojiLiteralInTags() {
        assertThat(lp.measurement("m").tag("t", "\"é🙂ü\"").field("f", 1L).build())
                .isEqualTo("m,t=\"é🙂ü\" f=1i");
    }

    @Test
    void escapesQuotesAndBackslashesInStringFields() {
        String line = lp.measurement("m").field("s", "a\"b\\c\\").build();

        assertThat(line).isEqualTo("m s=\"a\\\"b\\\\c\\\\\"");
    }

    @Test
    void keepsRawLineBreaksInsideStringFieldQuotes() {
        assertThat(lp.measurement("m").field("s", "x\ny\r\nz").build())
                .isEqualTo("m s=\"x\ny\r\nz\"");
    }

    @Test
    void replacesLineBreaksInNamesAndTagValuesByVisibleEscapes() {
        String line = lp.measurement("m\nx").tag("k\r", "a\nb\r\nc").field("f\n", 1L).build();

        assertThat(line).isEqualTo("m\\nx,k\\r=a\\nb\\r\\nc f\\n=1i");
        assertThat(line).doesNotContain("\n").doesNotContain("\r");
    }

    @Test
    void replacesUnrepresentableBackslashesAndKeepsTheOthers() {
        String line =
                lp.measurement("m\\")
                        .tag("t", "C:\\dir\\")
                        .tag("u", "a\\,b\\ c\\=d\\x")
                        .field("f", 1L)
                        .build();

        assertThat(line).isEqualTo("m_,t=C:\\dir_,u=a_\\,b_\\ c_\\=d\\x f=1i");
    }

    @Test
    void measurementBackslashBeforeEqualsIsRepresentable() {
        assertThat(lp.measurement("a\\=b").field("f", 1L).build()).isEqualTo("a\\=b f=1i");
    }

    @Test
    void skipsEmptyTagsAndUnrepresentableFields() {
        String line =
                lp.measurement("m")
                        .tag("empty", "")
                        .tag("null", null)
                        .tag("", "v")
                        .tag("k", "v")
                        .field("nan", Double.NaN)
                        .field("inf", Double.POSITIVE_INFINITY)
                        .field("ninf", Double.NEGATIVE_INFINITY)
                        .field("nullString", (String) null)
                        .field("", 1L)
                        .field("ok", 2.5)
                        .timestampMs(TS)
                        .build();

        assertThat(line).isEqualTo("m,k=v ok=2.5 " + TS);
        assertThat(lp.fieldCount()).isEqualTo(1);
    }

    @Test
    void pointWithoutAnyFieldBuildsToEmptyString() {
        assertThat(lp.measurement("m").tag("k", "v").field("x", Double.NaN).timestampMs(TS).build())
                .isEmpty();
    }

    @Test
    void writesDoublesWithFullPrecisionAndLongExtremes() {
        String line =
                lp.measurement("m")
                        .field("a", 0.1 + 0.2)
                        .field("b", -1.7976931348623157E308)
                        .field("c", Double.MIN_VALUE)
                        .field("d", Long.MIN_VALUE)
                        .field("e", Long.MAX_VALUE)
                        .build();

        assertThat(line)
                .isEqualTo(
                        "m a=0.30000000000000004,b=-1.7976931348623157E308,c=4.9E-324,"
                                + "d=-9223372036854775808i,e=9223372036854775807i");
    }

    @Test
    void reusesTheBuilderForTheNextPoint() {
        lp.measurement("a").tag("k", "v").field("f", 1L).timestampMs(1).build();

        assertThat(lp.measurement("b").field("g", 2L).timestampMs(2).build()).isEqualTo("b g=2i 2");
    }

    @Test
    void rejectsMissingOrCommentLikeMeasurement() {
        assertThatThrownBy(() -> lp.measurement("")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> lp.measurement(null)).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> lp.measurement("#m")).hasMessageContaining("comment");
    }

    @Test
    void enforcesTagsThenFieldsThenTimestamp() {
        assertThatThrownBy(() -> new LineProtocol().tag("k", "v"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> lp.measurement("m").field("f", 1L).tag("k", "v"))
                .hasMessageContaining("tags must be added before fields");
        assertThatThrownBy(() -> lp.measurement("m").field("f", 1L).timestampMs(1).field("g", 1L))
                .hasMessageContaining("before the timestamp");
    }

    /**
     * Property-style: for generated hostile strings, no line break appears outside the quoted
     * string field, has exactly the structural separators we put in (unescaped space count = 2, one
     * unescaped '=' per tag/field), and the string field decodes back to the original.
     */
    @Test
    void generatedHostileStringsNeverBreakTheLineStructure() {
        SplittableRandom random = new SplittableRandom(42);
        char[] alphabet = {
            'a', 'Z', '0', ' ', ',', '=', '"', '\\', '\n', '\r', '\t', '#', 'é', "🙂".charAt(0)
        };
        for (int i = 0; i < 5_000; i++) {
            String value = randomString(random, alphabet);
            String line =
                    lp.measurement("m" + value)
                            .tag("t" + value, value)
                            .field("f" + value, value)
                            .field("n", (long) i)
                            .timestampMs(TS)
                            .build();

            Structure structure = Structure.scan(line);
            assertThat(structure.lineBreaksOutsideQuotes).as(line).isZero();
            assertThat(structure.unescapedSpaces).as(line).isEqualTo(2);
            assertThat(structure.unescapedCommasInTagSection)
                    .as(line)
                    .isEqualTo(value.isEmpty() ? 0 : 1);
            assertThat(structure.stringField).as(line).isEqualTo(value);
            assertThat(line).as(line).endsWith(",n=" + i + "i " + TS);
        }
    }

    private static String randomString(SplittableRandom random, char[] alphabet) {
        int length = random.nextInt(0, 12);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            char c = alphabet[random.nextInt(alphabet.length)];
            if (Character.isHighSurrogate(c)) {
                s.append("🙂");
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    /**
     * Mirrors InfluxDB 1.x's scanLine: a backslash skips the next byte; in the field section a
     * double quote opens/closes a string only after more '=' than ',' were seen.
     */
    private static final class Structure {
        int unescapedSpaces;
        int unescapedCommasInTagSection;
        int lineBreaksOutsideQuotes;
        String stringField;

        static Structure scan(String line) {
            Structure s = new Structure();
            boolean inQuotes = false;
            int equals = 0;
            int commas = 0;
            StringBuilder quoted = null;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (inQuotes) {
                    if (c == '\\' && i + 1 < line.length()) {
                        quoted.append(line.charAt(++i));
                    } else if (c == '"') {
                        inQuotes = false;
                        if (s.stringField == null) {
                            s.stringField = quoted.toString();
                        }
                    } else {
                        quoted.append(c);
                    }
                } else if (c == '\n' || c == '\r') {
                    s.lineBreaksOutsideQuotes++;
                } else if (c == '\\') {
                    i++;
                } else if (c == ' ') {
                    s.unescapedSpaces++;
                } else if (s.unescapedSpaces == 0) {
                    if (c == ',') {
                        s.unescapedCommasInTagSection++;
                    }
                } else if (c == '=') {
                    equals++;
                } else if (c == ',') {
                    commas++;
                } else if (c == '"' && equals > commas) {
                    inQuotes = true;
                    quoted = new StringBuilder();
                }
            }
            return s;
        }
    }
}
