package dev.relay.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's metric catalogue lists every metric the relay registers (read from a real
 * scrape, so a meter registered outside {@link MetricNames} is caught too), and lists nothing
 * of ours the relay does not have.
 */
class ReadmeMetricsTest {

    private static final Pattern NAME = Pattern.compile("`(relay_[a-z_]+)`");

    /** The relay_* metric families of a fresh relay's scrape, by their names in the exposition. */
    static Set<String> registered() {
        try (RelayMetrics metrics = RelayMetrics.prometheus(List.of("127.0.0.1:2525"), Clock.systemUTC())) {
            String scrape = ((PrometheusMeterRegistry) metrics.registry()).scrape();
            Set<String> names = new TreeSet<>();
            scrape.lines().filter(line -> line.startsWith("# TYPE relay_")).forEach(line -> {
                String[] parts = line.split(" ");
                String name = parts[2];
                // the text format names a counter's family without the _total its samples carry
                names.add(parts[3].equals("counter") && !name.endsWith("_total") ? name + "_total" : name);
            });
            // Micrometer adds a _max gauge beside each histogram: part of the histogram's entry
            names.removeIf(name -> name.endsWith("_max") && names.contains(name.substring(0, name.length() - 4)));
            return names;
        }
    }

    private static String catalogue() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("- **Metrics.**");
        assertThat(start).as("README has a Metrics entry").isPositive();
        return readme.substring(start, readme.indexOf("\n- **", start + 1));
    }

    @Test
    void everyRegisteredMetricIsInTheReadme() throws IOException {
        Set<String> registered = registered();
        assertThat(registered).as("the scrape's relay_ families").containsAll(MetricNames.all());
        String catalogue = catalogue();
        assertThat(registered).allSatisfy(name -> assertThat(catalogue).as("README lists %s", name).contains("`" + name + "`"));
    }

    @Test
    void theReadmeListsNoMetricTheRelayLacks() throws IOException {
        // the metric column: the first cell of each table row
        Set<String> listed = new TreeSet<>();
        catalogue().lines().map(String::strip).filter(line -> line.startsWith("| `relay_")).forEach(line -> {
            Matcher m = NAME.matcher(line.split("\\|")[1]);
            while (m.find()) {
                listed.add(m.group(1));
            }
        });
        assertThat(listed).isNotEmpty().isSubsetOf(registered());
    }
}
