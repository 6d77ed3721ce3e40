/**
 * Small text helpers shared by packages that must not depend on each other. Door:
 * {@link dev.relay.text.DidYouMean}.
 */
package dev.relay.text;
