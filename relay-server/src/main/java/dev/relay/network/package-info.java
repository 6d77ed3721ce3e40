/**
 * How the relay's Netty event loops wait for the network: the kernel's io_uring, epoll, or
 * Java's NIO selector ({@code network.io}). The listeners and the outbound client take their
 * event loops and socket types from one {@link dev.relay.network.Transport}, so a setting never
 * mixes a loop of one kind with a socket of another.
 *
 * <p>Door: {@link dev.relay.network.NetworkIo} (the configured choice, {@code auto} by
 * default) and {@link dev.relay.network.Transport} (what runs).
 */
package dev.relay.network;
