package dev.relay.text;

import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A versioned TXT record type in the grammar of {@link TxtRecordFields}, with the one field it
 * cannot do without (MTA-STS {@code id}, TLS reporting {@code rua}).
 *
 * @param version what each of its records begins with, such as {@code v=STSv1}
 * @param required the field whose absence makes the record invalid
 * @param rule checks each field's value
 * @param quote how the type quotes a text in its reasons
 * @param missingHint what follows "has no ... field", from the names the record has: a hint
 *     at a near miss, or empty
 */
public record TxtRecordFormat(String version, String required, TxtRecordFields.ValueRule rule,
        UnaryOperator<String> quote, Function<Set<String>, String> missingHint) {

    public TxtRecordFormat {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(required, "required");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(quote, "quote");
        Objects.requireNonNull(missingHint, "missingHint");
    }
}
