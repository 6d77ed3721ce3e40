package dev.relay.it.docker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Samples of a Prometheus text exposition (version 0.0.4): name, labels, value. */
record PrometheusText(List<PrometheusText.Sample> samples) {

    record Sample(String name, Map<String, String> labels, double value) {}

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            Map<String, String> labels = new LinkedHashMap<>();
            String name;
            String rest;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int end = labels(line, brace + 1, labels);
                rest = line.substring(end + 1).strip();
            } else {
                name = line.substring(0, space);
                rest = line.substring(space + 1).strip();
            }
            String value = rest.split("\\s+")[0];
            samples.add(new Sample(name, labels, parseValue(value)));
        }
        return new PrometheusText(List.copyOf(samples));
    }

    /** Every sample name with the label names its samples carry. */
    Map<String, Set<String>> labelNamesBySample() {
        Map<String, Set<String>> names = new TreeMap<>();
        for (Sample sample : samples) {
            names.computeIfAbsent(sample.name(), n -> new TreeSet<>()).addAll(sample.labels().keySet());
        }
        return names;
    }

    /** The value of the one sample with this name and these labels (among others). */
    Optional<Double> value(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .map(Sample::value).reduce(Double::sum);
    }

    private static int labels(String line, int pos, Map<String, String> labels) {
        while (line.charAt(pos) != '}') {
            int eq = line.indexOf('=', pos);
            String label = line.substring(pos, eq).strip();
            StringBuilder value = new StringBuilder();
            pos = eq + 2; // past ="
            while (line.charAt(pos) != '"') {
                char c = line.charAt(pos);
                if (c == '\\') {
                    char escaped = line.charAt(++pos);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
                pos++;
            }
            labels.put(label, value.toString());
            pos++;
            if (line.charAt(pos) == ',') {
                pos++;
            }
        }
        return pos;
    }

    private static double parseValue(String value) {
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }
}
