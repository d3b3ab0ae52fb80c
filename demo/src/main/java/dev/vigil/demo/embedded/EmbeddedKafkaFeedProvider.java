package dev.vigil.demo.embedded;

import dev.vigil.pipeline.demo.Demo;
import dev.vigil.simulator.mqtt.Pacer;
import java.io.PrintStream;

/** {@code ./vigil demo --transport kafka} (the default): {@link EmbeddedKafkaFeed}. */
public final class EmbeddedKafkaFeedProvider implements Demo.FeedProvider {

    @Override
    public String transport() {
        return "kafka";
    }

    @Override
    public Demo.Feed create(Demo.Options options, PrintStream out) throws Exception {
        return EmbeddedKafkaFeed.start(options.getParallelism(), Pacer.unlimited(), out);
    }
}
