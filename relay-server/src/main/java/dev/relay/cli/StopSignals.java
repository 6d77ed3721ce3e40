package dev.relay.cli;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Runs an action when the process gets a signal (TERM and INT stop, HUP reloads), through the JDK's
 * {@code sun.misc.Signal}. It is looked up at run time rather than named in the source: javac
 * warns about every compile-time use of that class, no {@code @SuppressWarnings} silences the
 * warning, and main code compiles with {@code -Werror}.
 */
final class StopSignals {
    private StopSignals() {}

    /**
     * Installs {@code action} as the handler of {@code SIG<name>}.
     *
     * @throws IllegalArgumentException when this platform or JVM does not let Java handle that signal,
     *     or the signal was ignored when the process started
     */
    static void onSignal(String name, Runnable action) {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Object signal = lookup.findConstructor(signalType, MethodType.methodType(void.class, String.class))
                    .invoke(name);
            // SignalHandler.handle(Signal): the action, ignoring which signal it was
            MethodHandle run = lookup.findVirtual(Runnable.class, "run", MethodType.methodType(void.class))
                    .bindTo(action);
            Object handler = MethodHandleProxies.asInterfaceInstance(handlerType,
                    MethodHandles.dropArguments(run, 0, signalType));
            MethodHandle handle = lookup.findStatic(signalType, "handle",
                    MethodType.methodType(handlerType, signalType, handlerType));
            Object previous = handle.invoke(signal, handler);
            // a signal ignored when the process started (nohup ignores HUP, a background job INT)
            // stays ignored: the JVM does not install the handler and answers SIG_IGN
            Object ignored = lookup.findStaticGetter(handlerType, "SIG_IGN", handlerType).invoke();
            if (java.util.Objects.equals(previous, ignored)) {
                throw new IllegalArgumentException("SIG" + name + " is ignored in this process (started under nohup,"
                        + " or in the background), and stays ignored");
            }
        } catch (IllegalArgumentException | Error unchecked) {
            throw unchecked;
        } catch (Throwable lookupFailed) {
            // a JVM without sun.misc.Signal: the same answer as a signal it cannot handle
            throw new IllegalArgumentException("cannot handle SIG" + name, lookupFailed);
        }
    }
}
