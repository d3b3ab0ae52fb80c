package dev.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.SeriesIdentity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FleetSimulatorTest {

    private static final long START_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private static FleetConfig clean() {
        return FleetConfig.builder().anomaliesEnabled(false).malformedRate(0).build();
    }

    @Test
    void sameSeedGivesIdenticalEnvelopesAndGroundTruth() {
        FleetConfig config = FleetConfig.builder().outOfOrderRate(0.05).duplicateRate(0.05).build();

        FleetSimulator first = new FleetSimulator(config);
        List<Envelope> a = new ArrayList<>();
        first.forEachRemaining(a::add);
        FleetSimulator second = new FleetSimulator(config);
        List<Envelope> b = new ArrayList<>();
        second.forEachRemaining(b::add);

        assertThat(a).hasSize(b.size()).isEqualTo(b);
        assertThat(first.groundTruth()).isEqualTo(second.groundTruth());
        assertThat(first.groundTruth().size()).isEqualTo(12);
    }

    @Test
    void anotherSeedGivesOtherValues() {
        List<Envelope> a = FleetSimulator.generateAll(clean());
        List<Envelope> b = FleetSimulator.generateAll(clean().toBuilder().seed(7).build());

        assertThat(a).hasSameSizeAs(b);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void cleanRunSendsOneMessagePerDeviceAndTopicPerTick() {
        FleetSimulator simulator = new FleetSimulator(clean());
        List<Envelope> all = new ArrayList<>();
        simulator.forEachRemaining(all::add);

        // 720 ticks × (12 sensors + 4 telegraf hosts + 2 collectd hosts × 5 value lists)
        assertThat(simulator.config().totalTicks()).isEqualTo(720);
        assertThat(simulator.fleet().messagesPerTick()).isEqualTo(26);
        assertThat(all).hasSize(720 * 26);
        assertThat(simulator.stats().regularMessages()).isEqualTo(720 * 26);
        assertThat(simulator.stats().emitted()).isEqualTo(720 * 26);
        Map<String, Long> perTopic =
                all.stream()
                        .collect(Collectors.groupingBy(Envelope::getTopic, Collectors.counting()));
        assertThat(perTopic).hasSize(26).allSatisfy((topic, n) -> assertThat(n).isEqualTo(720));
        assertThat(perTopic)
                .containsKeys(
                        "sensors/dev-mum-1/telemetry",
                        "sensors/dev-hyd-2/telemetry",
                        "telegraf/web-1",
                        "telegraf/web-4",
                        "collectd/db-1/load/load",
                        "collectd/db-2/cpu-0/percent-user",
                        "collectd/db-2/cpu-0/percent-system",
                        "collectd/db-1/memory/percent-used",
                        "collectd/db-1/interface-eth0/if_octets");
    }

    @Test
    void fleetHasTheDocumentedSeriesKeys() {
        Fleet fleet = new Fleet(FleetConfig.defaults());

        // 12 sensors × 2 + 4 hosts × 10 + 2 collectd hosts × 8
        assertThat(fleet.series()).hasSize(80);
        String mumbai =
                SeriesIdentity.seriesKey(
                        "environment",
                        SeriesIdentity.sortTags(
                                "city", "Mumbai", "device", "dev-mum-1", "id", "CITIMUM1"),
                        "temperature");
        assertThat(fleet.series(mumbai)).isNotNull();
        assertThat(fleet.series("cpu,cpu=cpu-total,host=web-1 usage_user")).isNotNull();
        assertThat(fleet.series("system,host=web-3 n_zombies").injectable()).isFalse();
        assertThat(fleet.series("net,host=web-2,interface=eth0 bytes_recv")).isNotNull();
        assertThat(fleet.series("collectd,host=db-1,plugin=load,type=load midterm")).isNotNull();
        assertThat(
                        fleet.series(
                                "collectd,host=db-2,plugin=cpu,plugin_instance=0,type=percent,type_instance=user value"))
                .isNotNull();
        assertThat(
                        fleet.series(
                                "collectd,host=db-2,plugin=interface,plugin_instance=eth0,type=if_octets tx"))
                .isNotNull();
    }

    @Test
    void everyRegularMessageDecodesToTheFleetSeriesAtItsTick() {
        FleetSimulator simulator = new FleetSimulator(clean());
        long[] rejected = {0};
        List<TestDecoder.Point> points = TestDecoder.decodeAll(simulator, rejected);

        assertThat(rejected[0]).isZero();
        assertThat(points).hasSize(720 * 80);
        Set<String> keys = points.stream().map(p -> p.seriesKey).collect(Collectors.toSet());
        assertThat(keys)
                .containsExactlyInAnyOrderElementsOf(
                        simulator.fleet().series().stream().map(SeriesModel::seriesKey).toList());
        for (TestDecoder.Point p : points) {
            assertThat((p.timestamp - START_MS) % 10_000).isZero();
            int tick = (int) ((p.timestamp - START_MS) / 10_000);
            SeriesModel series = simulator.fleet().series(p.seriesKey);
            assertThat(p.value).isEqualTo(series.cleanValue(tick));
        }
    }

    @Test
    void payloadsHaveTheExactWireShapes() {
        List<Envelope> all = FleetSimulator.generateAll(clean());
        Envelope json = first(all, "sensors/dev-mum-1/telemetry");
        Envelope lp = first(all, "telegraf/web-2");
        Envelope load = first(all, "collectd/db-1/load/load");
        Envelope octets = first(all, "collectd/db-1/interface-eth0/if_octets");

        assertThat(text(json))
                .matches(
                        "\\{\"id\":\"CITIMUM1\",\"temperature\":\\d\\d\\.\\d\\d,\"humidity\":\\d\\d\\.\\d\\d,"
                                + "\"timestamp\":1767225600000,\"city\":\"Mumbai\"}");
        String[] lines = text(lp).split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0])
                .matches(
                        "cpu,host=web-2,cpu=cpu-total usage_user=\\d+\\.\\d\\d,usage_system=\\d+\\.\\d\\d"
                                + " 1767225600000000000");
        assertThat(lines[1])
                .matches(
                        "system,host=web-2 load1=\\d\\.\\d\\d,load5=\\d\\.\\d\\d,load15=\\d\\.\\d\\d,"
                                + "n_processes=\\d{3}i,n_zombies=0i 1767225600000000000");
        assertThat(lines[2])
                .matches("mem,host=web-2 used_percent=\\d\\d\\.\\d\\d 1767225600000000000");
        assertThat(lines[3])
                .matches(
                        "net,host=web-2,interface=eth0 bytes_recv=\\d+i,bytes_sent=\\d+i 1767225600000000000");
        assertThat(text(load))
                .matches("1767225600\\.000:\\d\\.\\d\\d:\\d\\.\\d\\d:\\d\\.\\d\\d\u0000");
        assertThat(text(octets)).matches("1767225600\\.000:\\d+:\\d+\u0000");
        assertThat(load.getPayload()[load.getPayload().length - 1]).isZero();
    }

    @Test
    void arrivalOrderIsEventOrderWithAtMost500msDelay() {
        List<Envelope> all = FleetSimulator.generateAll(clean());

        long previousReceived = Long.MIN_VALUE;
        long previousTick = Long.MIN_VALUE;
        for (Envelope e : all) {
            long tickTime = eventTime(e);
            assertThat(e.getReceivedAt()).isGreaterThanOrEqualTo(previousReceived);
            assertThat(tickTime).isGreaterThanOrEqualTo(previousTick);
            assertThat(e.getReceivedAt() - tickTime).isBetween(0L, 500L);
            previousReceived = e.getReceivedAt();
            previousTick = tickTime;
        }
    }

    @Test
    void outOfOrderMessagesArriveAfterLaterTicksAndAreCounted() {
        FleetSimulator simulator =
                new FleetSimulator(clean().toBuilder().outOfOrderRate(0.1).build());
        List<Envelope> all = new ArrayList<>();
        simulator.forEachRemaining(all::add);

        long maxEventSeen = Long.MIN_VALUE;
        long late = 0;
        long previousReceived = Long.MIN_VALUE;
        for (Envelope e : all) {
            long t = eventTime(e);
            late += t < maxEventSeen ? 1 : 0;
            maxEventSeen = Math.max(maxEventSeen, t);
            assertThat(e.getReceivedAt()).isGreaterThanOrEqualTo(previousReceived);
            assertThat(e.getReceivedAt() - t).isBetween(0L, 30_500L);
            previousReceived = e.getReceivedAt();
        }
        assertThat(all).hasSize(720 * 26);
        assertThat(simulator.stats().outOfOrder()).isBetween(1700L, 2050L); // ~10 % of 18720
        // late ones of the last ticks have no later tick to arrive after
        assertThat(late)
                .isBetween(simulator.stats().outOfOrder() - 3 * 26, simulator.stats().outOfOrder());
    }

    @Test
    void duplicatesAreExtraIdenticalPayloadsAndAreCounted() {
        FleetSimulator simulator =
                new FleetSimulator(clean().toBuilder().duplicateRate(0.05).build());
        List<Envelope> all = new ArrayList<>();
        simulator.forEachRemaining(all::add);

        long dupes = simulator.stats().duplicates();
        assertThat(dupes).isBetween(800L, 1070L); // ~5 % of 18720
        assertThat(all).hasSize((int) (720 * 26 + dupes));
        Set<String> distinct = new HashSet<>();
        all.forEach(e -> distinct.add(e.getTopic() + '|' + text(e)));
        assertThat(distinct).hasSize(720 * 26);
    }

    @Test
    void malformedMessagesComeAtTheConfiguredRateAndNeverDecode() {
        FleetSimulator simulator =
                new FleetSimulator(
                        FleetConfig.builder().anomaliesEnabled(false).malformedRate(0.05).build());
        List<Envelope> all = new ArrayList<>();
        simulator.forEachRemaining(all::add);
        SimulationStats stats = simulator.stats();

        long[] rejected = {0};
        TestDecoder.decodeAll(all.iterator(), rejected);
        assertThat(rejected[0]).isEqualTo(stats.malformedTotal());
        assertThat(all).hasSize((int) (720 * 26 + stats.malformedTotal()));
        double rate = stats.malformedTotal() / (double) stats.regularMessages();
        assertThat(rate).isBetween(0.04, 0.06);
        assertThat(stats.malformedByKind()).allSatisfy((k, n) -> assertThat(n).isPositive());
        long unknownTopics = all.stream().filter(e -> e.getTopic().startsWith("unrouted/")).count();
        assertThat(unknownTopics).isEqualTo(stats.malformed(MalformedKind.UNKNOWN_TOPIC));
        long nan = all.stream().filter(e -> text(e).contains(":nan\u0000")).count();
        assertThat(nan).isEqualTo(stats.malformed(MalformedKind.NAN_COLLECTD));
    }

    @Test
    void defaultMalformedRateIsHalfAPercent() {
        FleetSimulator simulator = new FleetSimulator(FleetConfig.defaults());
        simulator.forEachRemaining(e -> {});
        SimulationStats stats = simulator.stats();

        double rate = stats.malformedTotal() / (double) stats.regularMessages();
        assertThat(rate).isBetween(0.003, 0.007);
        assertThat(stats.emitted()).isEqualTo(stats.regularMessages() + stats.malformedTotal());
    }

    @Test
    void silencedDevicesSendNothingDuringTheirSilence() {
        FleetSimulator simulator = new FleetSimulator(FleetConfig.defaults());
        List<Envelope> all = new ArrayList<>();
        simulator.forEachRemaining(all::add);
        List<Injection> silences =
                simulator.plan().injections().stream()
                        .filter(i -> i.kind() == InjectionKind.SILENCE)
                        .toList();

        assertThat(silences).hasSize(2);
        long missing = 0;
        for (Injection s : silences) {
            String device = s.device().name();
            List<Long> times =
                    all.stream()
                            .filter(
                                    e ->
                                            e.getTopic().contains("/" + device + "/")
                                                    || e.getTopic().endsWith("/" + device))
                            .filter(e -> TestDecoder.decode(e) != null)
                            .map(FleetSimulatorTest::eventTime)
                            .toList();
            long start = START_MS + s.startTick() * 10_000L;
            long end = START_MS + s.endTick() * 10_000L;
            assertThat(times).noneMatch(t -> t >= start && t <= end);
            assertThat(times).contains(start - 10_000L, end + 10_000L);
            assertThat(s.endTick() - s.startTick() + 1).isEqualTo(60);
            missing += 60L * s.device().messagesPerTick();
        }
        assertThat(simulator.stats().regularMessages()).isEqualTo(720 * 26 - missing);
    }

    private static Envelope first(List<Envelope> all, String topic) {
        return all.stream().filter(e -> e.getTopic().equals(topic)).findFirst().orElseThrow();
    }

    static String text(Envelope e) {
        return new String(e.getPayload(), StandardCharsets.UTF_8);
    }

    /** Event time of a regular message (from its payload). */
    static long eventTime(Envelope e) {
        List<TestDecoder.Point> points = TestDecoder.decode(e);
        assertThat(points).as("decodable %s", e).isNotNull();
        return points.get(0).timestamp;
    }

    static Map<String, TreeMap<Long, Double>> bySeries(List<TestDecoder.Point> points) {
        Map<String, TreeMap<Long, Double>> out = new HashMap<>();
        for (TestDecoder.Point p : points) {
            out.computeIfAbsent(p.seriesKey, k -> new TreeMap<>()).put(p.timestamp, p.value);
        }
        return out;
    }
}
