/**
 * Labels of enum constants (a metric's label value, a word in the spool, a log or a report)
 * derived from the constants' names in one place, so that every such label is spelt alike.
 * Doors: {@link dev.relay.label.DashedLabel} and {@link dev.relay.label.LowerCaseLabel}. Plain values: it lives in the queue module so that
 * the queue's own enums and the server's can share it.
 */
package dev.relay.label;
