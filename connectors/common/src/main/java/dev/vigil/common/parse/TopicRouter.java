package dev.vigil.common.parse;

import dev.vigil.common.model.RejectReason;
import dev.vigil.common.routing.Route;
import dev.vigil.common.routing.RoutingConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the route of a topic and its variables. Decisions are cached per topic (IoT topics repeat a
 * lot), so a repeated topic costs one hash lookup and no allocation. The cache is bounded and
 * simply cleared when full.
 */
final class TopicRouter {

    static final int MAX_CACHED_TOPICS = 4096;

    private static final TopicMatch NO_TOPIC =
            new TopicMatch(
                    null,
                    null,
                    TagSets.EMPTY,
                    RejectReason.UNKNOWN_TOPIC,
                    "the message has no topic");

    private final List<Route> routes;
    private final Map<String, TopicMatch> cache = new HashMap<>();

    TopicRouter(RoutingConfig routing) {
        this.routes = routing.routes();
    }

    /** Never null; {@link TopicMatch#route} is null for an unknown topic. */
    TopicMatch lookup(String topic) {
        if (topic == null) {
            return NO_TOPIC;
        }
        TopicMatch match = cache.get(topic);
        if (match == null) {
            match = resolve(topic);
            if (cache.size() >= MAX_CACHED_TOPICS) {
                cache.clear();
            }
            cache.put(topic, match);
        }
        return match;
    }

    private TopicMatch resolve(String topic) {
        for (Route route : routes) {
            List<String> names = route.topic().variableNames();
            String[] values = new String[names.size()];
            if (route.topic().match(topic, values)) {
                return withVariables(topic, route, names, values);
            }
        }
        return new TopicMatch(
                topic,
                null,
                TagSets.EMPTY,
                RejectReason.UNKNOWN_TOPIC,
                "no route matches topic '" + Names.abbreviate(topic) + "'");
    }

    private static TopicMatch withVariables(
            String topic, Route route, List<String> names, String[] values) {
        String[] tags = new String[2 * values.length];
        for (int i = 0; i < values.length; i++) {
            tags[2 * i] = names.get(i);
            tags[2 * i + 1] = values[i];
            try {
                Names.checkName("topic variable name", names.get(i), 0);
                Names.checkTagValue(names.get(i), values[i], 0);
            } catch (RejectException e) {
                return new TopicMatch(topic, route, tags, e.reason(), e.getMessage());
            }
        }
        return new TopicMatch(topic, route, tags, null, null);
    }
}
