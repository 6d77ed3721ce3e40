package dev.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.queue.QueueEvents;
import dev.relay.smtp.server.SmtpEvents;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The listener interfaces' {@code both} are written out by hand, a method per event, because a
 * reflective one cost a hundred nanoseconds and an allocation per event on the hot path. What
 * a hand-written one can get wrong, forgetting an event (every event has an empty default, so
 * nothing fails to compile), is checked here for every event of every interface.
 */
class EventsBothTest {

    static Stream<Arguments> composites() {
        return Stream.of(
                composite(QueueEvents.class, QueueEvents::both),
                composite(SmtpEvents.class, SmtpEvents::both),
                composite(DeliveryEvents.class, DeliveryEvents::both),
                composite(DomainDelivery.Listener.class, DomainDelivery.Listener::both));
    }

    private static <L> Arguments composite(Class<L> type, BinaryOperator<L> both) {
        return Arguments.of(type.getSimpleName(), type, both);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composites")
    <L> void bothTellsTheFirstThenTheSecondOfEveryEvent(String name, Class<L> type, BinaryOperator<L> both)
            throws Exception {
        List<Method> events = Arrays.stream(type.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers())).toList();
        assertThat(events).as("events of " + name).isNotEmpty();
        for (Method event : events) {
            List<String> heard = new ArrayList<>();
            L composite = both.apply(recording(type, "first", heard), recording(type, "second", heard));
            Object[] args = arguments(event);

            event.invoke(composite, args);

            String call = event.getName() + Arrays.toString(args);
            assertThat(heard).as(name + "." + event.getName()).containsExactly("first " + call, "second " + call);
        }
    }

    private static <L> L recording(Class<L> type, String who, List<String> heard) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            heard.add(who + " " + method.getName() + Arrays.toString(args));
            return null;
        }));
    }

    /** A distinct value for each parameter that has an easy one, so a swapped argument shows. */
    private static Object[] arguments(Method event) {
        Class<?>[] types = event.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == int.class) {
                args[i] = 10 + i;
            } else if (t == long.class) {
                args[i] = 100L + i;
            } else if (t == boolean.class) {
                args[i] = i % 2 == 0;
            } else if (t == String.class) {
                args[i] = "argument " + i;
            } else if (t.isEnum()) {
                Object[] constants = t.getEnumConstants();
                args[i] = constants[i % constants.length];
            } else {
                args[i] = null; // a value object the composite only passes on
            }
        }
        return args;
    }
}
