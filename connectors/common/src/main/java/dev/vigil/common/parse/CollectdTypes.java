package dev.vigil.common.parse;

import java.util.HashMap;
import java.util.Map;

/**
 * Value names of the multi-valued collectd types (a small excerpt of collectd's types.db). Every
 * other type with one value calls it {@code value}; unknown types with several values get {@code
 * value0, value1, ...}.
 */
final class CollectdTypes {

    private static final String[] SINGLE = {"value"};
    private static final Map<String, String[]> KNOWN = new HashMap<>();

    static {
        known(new String[] {"shortterm", "midterm", "longterm"}, "load");
        known(
                new String[] {"rx", "tx"},
                "if_octets",
                "if_packets",
                "if_errors",
                "if_dropped",
                "io_octets",
                "io_packets",
                "node_octets");
        known(
                new String[] {"read", "write"},
                "disk_octets",
                "disk_ops",
                "disk_time",
                "disk_merged",
                "ps_disk_octets",
                "ps_disk_ops");
        known(new String[] {"user", "syst"}, "ps_cputime");
        known(new String[] {"processes", "threads"}, "ps_count");
        known(new String[] {"minflt", "majflt"}, "ps_pagefaults");
        known(new String[] {"io_time", "weighted_io_time"}, "disk_io_time");
    }

    private static final String[] NUMBERED = numbered(64);

    private CollectdTypes() {}

    private static void known(String[] valueNames, String... types) {
        for (String type : types) {
            KNOWN.put(type, valueNames);
        }
    }

    private static String[] numbered(int count) {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = "value" + i;
        }
        return names;
    }

    /** The value names of a known multi-valued type, or null. */
    static String[] knownValueNames(String type) {
        return KNOWN.get(type);
    }

    /** Value names for a type that is not in the table, given the number of values. */
    static String valueName(int index, int count) {
        if (count == 1) {
            return SINGLE[0];
        }
        return index < NUMBERED.length ? NUMBERED[index] : "value" + index;
    }
}
