package dev.relay.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.relay.settings.HostPort;
import dev.relay.smtp.server.ListenerConfig;
import dev.relay.smtp.server.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The value of every key that the configuration leaves out. These equal the embedded
 * {@code config/relay.yaml} (a test holds them to it), so running with no file and running
 * with that file are the same relay; hostname is the one exception, see {@link ConfigLoader}.
 */
final class Defaults {

    static final HostPort LISTENER_ADDRESS = new HostPort("127.0.0.1", 2525);
    static final List<ListenerConfig> LISTENERS =
            List.of(new ListenerConfig(LISTENER_ADDRESS, Mode.OPTIONAL, false, Mode.OPTIONAL));
    /** starttls when a listener does not say; implicit-TLS listeners default to off instead. */
    static final Mode LISTENER_STARTTLS = Mode.OPTIONAL;
    static final Mode LISTENER_AUTH = Mode.OPTIONAL;
    static final List<String> RELAY_NETWORKS = List.of("127.0.0.0/8", "::1/128");

    static final long MAX_MESSAGE_SIZE = 50L << 20;
    static final int MAX_RECIPIENTS = 1000;
    static final int MAX_CONNECTIONS = 1000;
    static final int MAX_CONNECTIONS_PER_CLIENT = 50;
    static final boolean EXEMPT_RELAY_NETWORKS = true;
    // RFC 5321 4.5.3.2.7: a server should wait at least 5 minutes for a command or a chunk of data
    static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
    static final Duration DATA_TIMEOUT = Duration.ofMinutes(5);
    // Postfix's smtpd_per_record_deadline and smtpd_min_data_rate
    static final boolean PER_RECORD_DEADLINE = true;
    static final long MIN_DATA_RATE = 500;
    static final int MAX_ERRORS = 10;
    // Postfix's hopcount_limit
    static final int MAX_RECEIVED_HEADERS = 50;
    static final boolean ADDRESS_LITERAL_RECIPIENTS = false;

    static final Path SPOOL_DIRECTORY = Path.of("./data/spool");
    static final long MIN_FREE_SPACE = 256L << 20;
    static final long MAX_MESSAGES = 0;

    static final List<Duration> RETRY_SCHEDULE = List.of(
            Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4));
    static final Duration MAX_LIFETIME = Duration.ofDays(5);
    static final Duration DELAY_WARNING_AFTER = Duration.ofHours(4);

    static final int DELIVERY_PORT = 25;
    static final int MAX_CONNECTIONS_PER_DOMAIN = 20;
    /** RFC 8689: offer REQUIRETLS to clients inside TLS. */
    static final boolean REQUIRETLS = true;
    /** RFC 8689 section 4.2.2: the sender may waive the TLS policies for one message. */
    static final boolean HONOUR_TLS_REQUIRED_NO = true;

    static final boolean MTA_STS_ENABLED = true;
    static final Path MTA_STS_CACHE_DIRECTORY = Path.of("./data/mta-sts");
    static final int MTA_STS_HTTPS_PORT = 443;
    /** First contact with a domain whose _mta-sts lookup fails: an attacker could as well strip the record. */
    static final Duration MTA_STS_POLICY_UNKNOWN_WAIT = Duration.ofHours(1);

    static final boolean TLS_RPT_ENABLED = false;
    /** Reports of a day leave between UTC midnight and this hour. */
    static final int TLS_RPT_SEND_BY_HOUR = 4;
    /** The report sender's local part when tls-rpt.report-sender is not set: {@code postmaster@<hostname>}. */
    static final String TLS_RPT_SENDER_LOCAL_PART = "postmaster";

    static final HostPort ADMIN_ADDRESS = new HostPort("127.0.0.1", 9464);

    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private Defaults() {}

    /** The default listeners as a YAML tree, for environment overrides of a file that has none. */
    static ArrayNode listenersTree() {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (ListenerConfig l : LISTENERS) {
            list.addObject()
                    .put("address", l.address().toString())
                    .put("starttls", l.starttls().name().toLowerCase(java.util.Locale.ROOT))
                    .put("auth", l.auth().name().toLowerCase(java.util.Locale.ROOT));
        }
        return list;
    }
}
