package dev.yubin.dns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/** The order of RFC 5321 §5.1: ascending preference, and a random order among hosts of equal preference. */
final class MxOrder {
    private MxOrder() {
    }

    static List<MxHost> arrange(List<MxHost> hosts, RandomGenerator random) {
        List<MxHost> sorted = new ArrayList<>(hosts);
        sorted.sort(Comparator.comparingInt(MxHost::preference));
        int start = 0;
        while (start < sorted.size()) {
            int end = start + 1;
            while (end < sorted.size() && sorted.get(end).preference() == sorted.get(start).preference()) {
                end++;
            }
            shuffle(sorted, start, end, random);
            start = end;
        }
        return sorted;
    }

    /** Fisher–Yates over {@code [from, to)}. */
    private static void shuffle(List<MxHost> hosts, int from, int to, RandomGenerator random) {
        for (int i = to - 1; i > from; i--) {
            Collections.swap(hosts, i, from + random.nextInt(i - from + 1));
        }
    }
}
