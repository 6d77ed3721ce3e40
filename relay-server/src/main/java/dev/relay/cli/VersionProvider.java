package dev.relay.cli;

import picocli.CommandLine;

/** {@code -V} / {@code --version} on every command: the POM version and the git commit built. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {BuildVersion.current().describe()};
    }
}
