package dev.relay.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = RelayCommand.class.getPackage().getImplementationVersion();
        return new String[] {"relay " + (version == null ? "(development build)" : version)};
    }
}
