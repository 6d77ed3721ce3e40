package dev.relay.cli;

/** Placeholder entry point until the command line lands. */
public final class RelayCommand {
    private RelayCommand() {}

    public static void main(String[] args) {
        System.out.println("relay");
    }
}
