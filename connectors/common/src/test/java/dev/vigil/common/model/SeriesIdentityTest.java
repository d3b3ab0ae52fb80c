package dev.vigil.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Series ids are keys of checkpointed state and of the Kafka/Kinesis records: they never change.
 */
class SeriesIdentityTest {

    /** Ids of 0.x (computed then with {@code String.getBytes(UTF_8)}), pinned. */
    @Test
    void idsAreTheOnesOfEarlierVersions() {
        assertThat(id("cpu", "host,web-1,cpu,cpu-total", "usage_user"))
                .isEqualTo(7434514091298212631L);
        assertThat(id("environment", "city,Oslo", "temperature")).isEqualTo(-142395752782003131L);
        assertThat(id("température", "ville,Zürich", "valeur")).isEqualTo(-688038246560287245L);
        assertThat(id("温度", "城市,東京", "值")).isEqualTo(-3666381616696056355L);
        assertThat(id("emoji", "icon,\uD83D\uDE80", "count")).isEqualTo(-3608337572498984242L);
        assertThat(id("broken", "half,\uD800x", "v")).isEqualTo(-6354539556779375046L);
        assertThat(id("no-tags", "", "value")).isEqualTo(6245828703159349417L);
    }

    /**
     * The on-the-fly UTF-8 encoding hashes the same bytes as {@code getBytes(UTF_8)}: random
     * strings from every encoding length, surrogate pairs and lone surrogates in any position.
     */
    @Test
    void hashesExactlyTheUtf8BytesOfAnyString() {
        SplittableRandom random = new SplittableRandom(11);
        for (int run = 0; run < 20_000; run++) {
            String measurement = randomString(random);
            String[] tags = {randomString(random), randomString(random)};
            String field = randomString(random);
            assertThat(SeriesIdentity.seriesId(measurement, tags, field))
                    .as("%s %s %s", measurement, String.join(",", tags), field)
                    .isEqualTo(reference(measurement, tags, field));
        }
    }

    private static long id(String measurement, String tags, String field) {
        return SeriesIdentity.seriesId(
                measurement, tags.isEmpty() ? new String[0] : tags.split(","), field);
    }

    private static String randomString(SplittableRandom random) {
        char[] chars = new char[random.nextInt(8)];
        for (int i = 0; i < chars.length; i++) {
            switch (random.nextInt(6)) {
                case 0:
                    chars[i] = (char) random.nextInt(0x80);
                    break;
                case 1:
                    chars[i] = (char) (0x80 + random.nextInt(0x780));
                    break;
                case 2:
                    chars[i] = (char) (0x800 + random.nextInt(0xD800 - 0x800));
                    break;
                case 3:
                    chars[i] = (char) (0xE000 + random.nextInt(0x2000));
                    break;
                case 4:
                    chars[i] = (char) (0xD800 + random.nextInt(0x400)); // high, maybe alone
                    break;
                default:
                    chars[i] = (char) (0xDC00 + random.nextInt(0x400)); // low, maybe alone
            }
        }
        return new String(chars);
    }

    /** The definition: FNV-1a over {@code getBytes(UTF_8)} of each part, then the mix. */
    private static long reference(String measurement, String[] tags, String field) {
        long h = 0xcbf29ce484222325L;
        h = referenceHash(h, measurement);
        for (String part : tags) {
            h = referenceHash(h ^ 0x1f, part);
        }
        h = referenceHash(h ^ 0x1e, field);
        long z = h;
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static long referenceHash(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        h ^= 0xff;
        h *= 0x100000001b3L;
        return h;
    }
}
