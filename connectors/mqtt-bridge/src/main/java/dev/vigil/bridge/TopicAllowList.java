package dev.vigil.bridge;

import dev.vigil.common.routing.TopicPattern;
import java.util.ArrayList;
import java.util.List;

/** {@code mqtt.allowed-topics}: MQTT filters a message's topic must match; empty allows all. */
final class TopicAllowList {

    private final List<TopicPattern> filters = new ArrayList<>();

    TopicAllowList(List<String> filters) {
        for (String filter : filters) {
            this.filters.add(TopicPattern.compile(filter));
        }
    }

    boolean allows(String topic) {
        if (filters.isEmpty()) {
            return true;
        }
        for (TopicPattern filter : filters) {
            if (filter.matches(topic)) {
                return true;
            }
        }
        return false;
    }
}
