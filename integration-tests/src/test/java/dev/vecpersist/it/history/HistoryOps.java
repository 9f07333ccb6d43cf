package dev.vecpersist.it.history;

import dev.vecpersist.api.CompressionCodec;
import dev.vecpersist.api.StateFormat;
import dev.vecpersist.api.VectorEntry;
import dev.vecpersist.core.Plugins;
import dev.vecpersist.core.RetentionPolicy;
import dev.vecpersist.testkit.property.Gen;
import dev.vecpersist.testkit.property.Generators;
import dev.vecpersist.testkit.property.ValueGenerators;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

/**
 * The generators of {@link HistoryOp}s, each with a weight: the list {@link #ALL} is the operation
 * set. A new operation is one record in {@link HistoryOp} and one line here.
 */
final class HistoryOps {

    /** A generator of one kind of step and how often it is drawn, relative to the others. */
    record Weighted(int weight, Gen<? extends HistoryOp> ops) {
    }

    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"),
            ZoneId.of("America/New_York"), ZoneId.of("Pacific/Chatham"), ZoneId.of("Asia/Kolkata"));
    /** Every format on the class path. */
    static final List<String> FORMATS = Plugins.discover().formats().stream().map(StateFormat::name).toList();
    /** Every codec on the class path, and none. */
    static final List<String> CODECS = Stream.concat(Stream.of(Plugins.NO_COMPRESSION),
            Plugins.discover().codecs().stream().map(CompressionCodec::name)).toList();
    private static final Gen<Integer> PICKS = Generators.integers(0, 1_000_000);
    private static final Gen<VectorEntry> ENTRIES = random -> new VectorEntry(ValueGenerators.ids().next(random),
            ValueGenerators.vectors(HistorySystem.DIMENSION).next(random), ValueGenerators.metadata(2).next(random));

    /** Retention policies of counts 0 to 3 per rule (not all 0, which the builder refuses), in zones with odd offsets and DST. */
    static final Gen<RetentionPolicy> POLICIES = random -> {
        Gen<Integer> count = Generators.integers(0, 3);
        int last = count.next(random);
        int daily = count.next(random);
        int weekly = count.next(random);
        int monthly = count.next(random);
        int yearly = count.next(random);
        if (last + daily + weekly + monthly + yearly == 0) {
            last = 1;
        }
        return RetentionPolicy.builder().keepLast(last).keepDaily(daily).keepWeekly(weekly).keepMonthly(monthly)
                .keepYearly(yearly).zone(Generators.of(ZONES).next(random)).build();
    };

    /**
     * Clock steps before a snapshot: none (equal timestamps), back up to 2 days, forward by a
     * fraction of a second (nanoseconds, as a real clock gives), minutes, hours or days.
     */
    static final Gen<Duration> CLOCK_STEPS = random -> switch (random.nextInt(9)) {
        case 0 -> Duration.ZERO;
        case 1 -> Duration.ofMinutes(-random.nextLong(1, 2 * 24 * 60 + 1));
        case 2 -> Duration.ofNanos(random.nextLong(1, 1_000_000_000));
        case 3, 4 -> Duration.ofMinutes(random.nextLong(1, 121));
        case 5, 6 -> Duration.ofHours(random.nextLong(1, 49));
        default -> Duration.ofDays(random.nextLong(1, 41));
    };

    /** Where loadAsOf looks, from a retained version's time: there, a nanosecond either side, or well before every version. */
    static final Gen<Duration> AS_OF_OFFSETS = random -> switch (random.nextInt(5)) {
        case 0 -> Duration.ZERO;
        case 1 -> Duration.ofNanos(-1);
        case 2 -> Duration.ofNanos(1);
        case 3 -> Duration.ofMinutes(random.nextLong(1, 600));
        default -> Duration.ofDays(-random.nextLong(100, 400));
    };

    /** History policies: the default latestOnly, keepLast(2 to 6), keepFor(minutes to days, as the clock steps). */
    static final Gen<ModelHistoryPolicy> HISTORY_POLICIES = random -> switch (random.nextInt(3)) {
        case 0 -> ModelHistoryPolicy.latestOnly();
        case 1 -> new ModelHistoryPolicy(random.nextInt(2, 7), null);
        default -> new ModelHistoryPolicy(0, Duration.ofMinutes(random.nextLong(1, 3 * 24 * 60)));
    };

    /** The operation set. */
    static final List<Weighted> ALL = List.of(
            new Weighted(30, random -> new HistoryOp.Put(PICKS.next(random), ENTRIES.next(random))),
            new Weighted(8, random -> new HistoryOp.Remove(PICKS.next(random))),
            new Weighted(5, random -> new HistoryOp.Save()),
            new Weighted(10, random -> new HistoryOp.SaveIncremental()),
            new Weighted(5, random -> new HistoryOp.Load()),
            new Weighted(15, random -> new HistoryOp.CreateSnapshot(CLOCK_STEPS.next(random),
                    Generators.strings(0, 12).next(random), ValueGenerators.metadata(1).next(random))),
            new Weighted(3, random -> new HistoryOp.DeleteSnapshot(PICKS.next(random))),
            new Weighted(5, random -> new HistoryOp.RestoreSnapshot(PICKS.next(random))),
            new Weighted(4, random -> new HistoryOp.StepClock(CLOCK_STEPS.next(random))),
            new Weighted(4, random -> new HistoryOp.LoadVersion(PICKS.next(random))),
            new Weighted(3, random -> new HistoryOp.LoadAsOf(PICKS.next(random), AS_OF_OFFSETS.next(random))),
            new Weighted(3, random -> new HistoryOp.RestoreVersion(PICKS.next(random))),
            new Weighted(4, random -> new HistoryOp.Prune(POLICIES.next(random), random.nextInt(4) == 0)),
            new Weighted(4, random -> {
                boolean switchPlugins = random.nextInt(3) == 0;
                return new HistoryOp.Reopen(random.nextInt(3) == 0, switchPlugins ? Generators.of(FORMATS).next(random) : null,
                        switchPlugins ? Generators.of(CODECS).next(random) : null);
            }));

    private HistoryOps() {
    }

    /** One step, drawn from {@link #ALL} by weight. */
    static Gen<HistoryOp> any() {
        int total = ALL.stream().mapToInt(Weighted::weight).sum();
        return random -> {
            int roll = random.nextInt(total);
            for (Weighted w : ALL) {
                roll -= w.weight();
                if (roll < 0) {
                    return w.ops().next(random);
                }
            }
            throw new IllegalStateException("weights changed while drawing");
        };
    }
}
