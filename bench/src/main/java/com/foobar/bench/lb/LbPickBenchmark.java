package com.foobar.bench.lb;

import com.foobar.balancer.lb.LoadBalancingPolicies;
import com.foobar.balancer.lb.ServerSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One pick of each load-balancing algorithm, in nanoseconds, over 2, 10 and 100 usable servers: the cost the
 * balancer pays per request to choose a server. Requests come from 1,024 distinct clients (and paths) in turn, so the
 * hash-based algorithms hash real keys rather than one cached value.
 *
 * <p>Run: {@code java -jar bench/target/bench.jar jmh LbPickBenchmark} (see bench/README.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LbPickBenchmark {

    static final int CLIENTS = 1024;
    private static final Predicate<BenchEndpoint> ALL_USABLE = s -> true;

    @Param({"round-robin", "weighted-round-robin", "least-connections", "ip-hash", "consistent-hash", "random",
            "power-of-two-choices", "peak-ewma"})
    public String algorithm;

    @Param({"2", "10", "100"})
    public int servers;

    private ServerSelector<BenchEndpoint> selector;
    private BenchRequest[] requests;
    private int next;

    @Setup
    public void setUp() {
        List<BenchEndpoint> endpoints = new ArrayList<>(servers);
        for (int i = 0; i < servers; i++) {
            endpoints.add(new BenchEndpoint(i));
        }
        selector = LoadBalancingPolicies.get(algorithm).newSelector(List.copyOf(endpoints), null);
        requests = new BenchRequest[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            requests[i] = new BenchRequest(i);
        }
    }

    @Benchmark
    public BenchEndpoint pick() {
        BenchRequest request = requests[next++ & (CLIENTS - 1)];
        return selector.select(request, ALL_USABLE);
    }
}
