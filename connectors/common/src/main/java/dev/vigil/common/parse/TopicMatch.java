package dev.vigil.common.parse;

import dev.vigil.common.model.RejectReason;
import dev.vigil.common.routing.Route;

/** The routing decision for one topic, cached by {@link TopicRouter}. */
final class TopicMatch {

    /** The topic, null for messages without one. */
    final String topic;

    /** The first matching route, or null when none matches. */
    final Route route;

    /** Topic variables as alternating tag keys and values, in pattern order. */
    final String[] variableTags;

    /** {@link #variableTags} sorted by key, shared by points that have no payload tags. */
    final String[] sortedVariableTags;

    /** Set when the topic itself makes every message invalid (e.g. an over-long variable). */
    final RejectReason errorReason;

    final String errorDetail;

    /** Per-format decoded topic (collectd), filled lazily by the format. */
    Object formatState;

    TopicMatch(
            String topic,
            Route route,
            String[] variableTags,
            RejectReason errorReason,
            String errorDetail) {
        this.topic = topic;
        this.route = route;
        this.variableTags = variableTags;
        this.sortedVariableTags =
                TagSets.merge(variableTags, variableTags.length, TagSets.EMPTY, 0);
        this.errorReason = errorReason;
        this.errorDetail = errorDetail;
    }

    void throwIfInvalid() throws RejectException {
        if (errorReason != null) {
            throw new RejectException(errorReason, errorDetail);
        }
    }
}
