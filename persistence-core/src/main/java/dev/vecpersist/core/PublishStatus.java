package dev.vecpersist.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where publishing a writer's commits to a chain store stands
 * ({@link PersistenceOptions.Builder#publishTo}).
 *
 * @param published    the last version the store was seen to hold after a publish by this manager,
 *                     empty before the first successful publish
 * @param pendingSince when the oldest commit not yet published was made, or null when every commit is published
 * @param lastFailure  the failure of the last publish, empty when it succeeded (or none was tried)
 */
public record PublishStatus(Optional<CommitVersion> published, Instant pendingSince, Optional<Throwable> lastFailure) {

    /** {@return whether every commit is published} */
    public boolean upToDate() {
        return pendingSince == null;
    }

    /**
     * How long the oldest unpublished commit has waited: zero when every commit is published.
     *
     * @param clock the clock to measure with (the options' clock)
     * @return the lag, never negative
     */
    public Duration lag(Clock clock) {
        if (pendingSince == null) {
            return Duration.ZERO;
        }
        Duration d = Duration.between(pendingSince, clock.instant());
        return d.isNegative() ? Duration.ZERO : d;
    }
}
