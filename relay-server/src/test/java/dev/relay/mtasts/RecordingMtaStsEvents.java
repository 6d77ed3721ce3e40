package dev.relay.mtasts;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event, for assertions. */
final class RecordingMtaStsEvents implements MtaStsEvents {

    record Used(String domain, PolicyMode mode, boolean fromCache) {}

    record RefreshFailure(String domain, String reason) {}

    final List<String> fetched = new CopyOnWriteArrayList<>();
    final List<Used> used = new CopyOnWriteArrayList<>();
    final List<RefreshFailure> refreshFailures = new CopyOnWriteArrayList<>();
    final List<String> stale = new CopyOnWriteArrayList<>();

    @Override
    public void stalePolicy(String domain, String id) {
        stale.add(domain + " " + id);
    }

    @Override
    public void policyFetched(String result) {
        fetched.add(result);
    }

    @Override
    public void policyUsed(String domain, PolicyMode mode, boolean fromCache) {
        used.add(new Used(domain, mode, fromCache));
    }

    @Override
    public void refreshFailed(String domain, String reason) {
        refreshFailures.add(new RefreshFailure(domain, reason));
    }
}
