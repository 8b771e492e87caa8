package com.foobar.bench.lb;

import static org.assertj.core.api.Assertions.assertThat;

import com.foobar.balancer.lb.LoadBalancingPolicies;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/** Checks the benchmark's set-up, not its speed: every registered algorithm is benchmarked and picks a server. */
class LbPickBenchmarkTest {

    @Test
    void benchmarksEveryRegisteredAlgorithm() throws Exception {
        String[] algorithms = LbPickBenchmark.class.getField("algorithm").getAnnotation(Param.class).value();

        assertThat(algorithms).containsExactlyInAnyOrderElementsOf(LoadBalancingPolicies.names());
    }

    @Test
    void everyAlgorithmPicksAServerOutOfTwoTenAndAHundred() throws Exception {
        for (String algorithm : LoadBalancingPolicies.names()) {
            for (String servers : LbPickBenchmark.class.getField("servers").getAnnotation(Param.class).value()) {
                LbPickBenchmark benchmark = new LbPickBenchmark();
                benchmark.algorithm = algorithm;
                benchmark.servers = Integer.parseInt(servers);
                benchmark.setUp();
                Set<String> names = new HashSet<>();
                for (int i = 0; i < benchmark.servers; i++) {
                    names.add("server-" + i);
                }
                for (int i = 0; i < 2 * LbPickBenchmark.CLIENTS; i++) {
                    BenchEndpoint endpoint = benchmark.pick();
                    assertThat(endpoint).as(algorithm + " over " + servers).isNotNull();
                    assertThat(names).as(algorithm + " over " + servers).contains(endpoint.name());
                }
            }
        }
        assertThat(Arrays.asList(LbPickBenchmark.class.getField("servers").getAnnotation(Param.class).value()))
                .containsExactly("2", "10", "100");
    }
}
