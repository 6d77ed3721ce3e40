/**
 * Configuration: YAML plus {@code RELAY_*} environment overrides into the immutable
 * {@link dev.relay.config.RelayConfig}, validated once, with every user error one line naming
 * its key path ({@link dev.relay.settings.ConfigException}).
 *
 * <p>Door: {@link dev.relay.config.ConfigLoader} (load), {@link dev.relay.config.LoadedConfig}
 * (result and warnings), {@link dev.relay.config.ConfigPrinter} (effective YAML, secrets
 * masked), the records {@link dev.relay.config.RelayConfig} and {@link dev.relay.settings.HostPort},
 * and {@link dev.relay.settings.Cidr} for matching {@code relay-networks}.
 */
package dev.relay.config;
