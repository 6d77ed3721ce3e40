package dev.relay.dns;

import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** One DNS question, class IN; the cache key. dnsjava's {@link Name#equals} ignores case. */
record Question(Name name, int type) {

    Question {
        Objects.requireNonNull(name, "name");
        if (!name.isAbsolute()) {
            throw new IllegalArgumentException("relative name " + name);
        }
    }

    @Override
    public String toString() {
        return Type.string(type) + " of " + DomainNames.display(name);
    }
}
