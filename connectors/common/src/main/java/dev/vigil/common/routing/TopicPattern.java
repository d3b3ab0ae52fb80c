package dev.vigil.common.routing;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An MQTT topic filter with named variables: {@code +} matches one level, {@code #} (last level
 * only) matches any number of levels including none, and {@code {name}} matches one non-empty level
 * and captures it. As in MQTT, a wildcard in the first level does not match topics starting with
 * {@code $}. Matching walks the topic string without splitting it.
 */
public final class TopicPattern implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final int LITERAL = 0;
    private static final int PLUS = 1;
    private static final int HASH = 2;
    private static final int VARIABLE = 3;

    private final String pattern;
    private final int[] kinds;
    private final String[] literals;
    private final String[] variableNames;
    private final int[] variableSlots;

    private TopicPattern(
            String pattern,
            int[] kinds,
            String[] literals,
            String[] variableNames,
            int[] variableSlots) {
        this.pattern = pattern;
        this.kinds = kinds;
        this.literals = literals;
        this.variableNames = variableNames;
        this.variableSlots = variableSlots;
    }

    /**
     * Compiles a topic pattern.
     *
     * @throws IllegalArgumentException saying what is wrong with the pattern
     */
    public static TopicPattern compile(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("the topic pattern is empty");
        }
        String[] levels = pattern.split("/", -1);
        int[] kinds = new int[levels.length];
        String[] literals = new String[levels.length];
        int[] slots = new int[levels.length];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            slots[i] = -1;
            if (level.equals("+")) {
                kinds[i] = PLUS;
            } else if (level.equals("#")) {
                if (i != levels.length - 1) {
                    throw new IllegalArgumentException(
                            "'#' must be the last level of topic pattern '" + pattern + "'");
                }
                kinds[i] = HASH;
            } else if (level.startsWith("{") && level.endsWith("}") && level.length() > 2) {
                String name = level.substring(1, level.length() - 1);
                checkVariableName(pattern, name, names);
                kinds[i] = VARIABLE;
                slots[i] = names.size();
                names.add(name);
            } else {
                checkLiteral(pattern, level);
                kinds[i] = LITERAL;
                literals[i] = level;
            }
        }
        return new TopicPattern(pattern, kinds, literals, names.toArray(new String[0]), slots);
    }

    private static void checkVariableName(String pattern, String name, List<String> seen) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                throw new IllegalArgumentException(
                        "variable '{"
                                + name
                                + "}' in topic pattern '"
                                + pattern
                                + "' may only use letters, digits, '_', '-' and '.'");
            }
        }
        if (seen.contains(name)) {
            throw new IllegalArgumentException(
                    "variable '{" + name + "}' appears twice in topic pattern '" + pattern + "'");
        }
    }

    private static void checkLiteral(String pattern, String level) {
        if (level.indexOf('+') >= 0 || level.indexOf('#') >= 0) {
            throw new IllegalArgumentException(
                    "wildcards '+' and '#' must fill a whole level in topic pattern '"
                            + pattern
                            + "', found '"
                            + level
                            + "'");
        }
        if (level.indexOf('{') >= 0 || level.indexOf('}') >= 0) {
            throw new IllegalArgumentException(
                    "a variable must fill a whole level as '{name}' in topic pattern '"
                            + pattern
                            + "', found '"
                            + level
                            + "'");
        }
    }

    /** The pattern as written. */
    public String pattern() {
        return pattern;
    }

    /** Names of the {@code {name}} variables, in order. */
    public List<String> variableNames() {
        return Arrays.asList(variableNames.clone());
    }

    int variableCount() {
        return variableNames.length;
    }

    String variableName(int slot) {
        return variableNames[slot];
    }

    /** The number of levels before a trailing {@code #}, or -1 if the pattern has none. */
    public int levelsBeforeHash() {
        int last = kinds.length - 1;
        return kinds[last] == HASH ? last : -1;
    }

    /** Whether {@code topic} matches; variable values are not captured. */
    public boolean matches(String topic) {
        return match(topic, null);
    }

    /**
     * Matches {@code topic}; on success stores the value of variable {@code i} in {@code
     * variableValues[i]} (if the array is not null; it needs {@link #variableNames()}.size()
     * slots).
     */
    public boolean match(String topic, String[] variableValues) {
        if (topic == null) {
            return false;
        }
        int pos = 0;
        int length = topic.length();
        for (int i = 0; i < kinds.length; i++) {
            int kind = kinds[i];
            if (kind == HASH) {
                return i > 0 || !topic.startsWith("$");
            }
            if (pos > length) {
                return false; // topic has fewer levels than the pattern
            }
            int end = topic.indexOf('/', pos);
            if (end < 0) {
                end = length;
            }
            if (!matchLevel(i, topic, pos, end)) {
                return false;
            }
            if (kind == VARIABLE && variableValues != null) {
                variableValues[variableSlots[i]] = topic.substring(pos, end);
            }
            pos = end + 1;
        }
        return pos == length + 1; // consumed every level, and no level is left
    }

    private boolean matchLevel(int i, String topic, int start, int end) {
        switch (kinds[i]) {
            case LITERAL:
                String literal = literals[i];
                return literal.length() == end - start
                        && topic.regionMatches(start, literal, 0, literal.length());
            case PLUS:
                return i > 0 || !topic.startsWith("$");
            case VARIABLE:
                return end > start && (i > 0 || topic.charAt(0) != '$');
            default:
                return false;
        }
    }

    @Override
    public String toString() {
        return pattern;
    }
}
