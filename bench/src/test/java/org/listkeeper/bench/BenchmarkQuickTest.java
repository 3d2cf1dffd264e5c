package org.listkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's --quick shape: correctness only (every pair once), never timing. */
class BenchmarkQuickTest {
    @TempDir
    Path out;

    @Test
    void quickShapeShouldDeliverEveryPairOnceInEveryCase() throws Exception {
        Path serverJar = Path.of(System.getProperty("listkeeper.server.jar", "../assembly/target/listkeeper-server.jar"));

        // small on purpose: this checks that every case runs and loses or doubles nothing, in about a minute of CI
        List<Benchmark.CaseResult> results = Benchmark.run(List.of(new Benchmark.Shape(100, 10, "512m")),
            null, 1, 1, serverJar, out, List.of());

        assertThat(results).filteredOn(result -> result.warmup).hasSize(3);
        assertThat(results).filteredOn(result -> !result.warmup && !result.kind.startsWith("light")).hasSize(3);
        assertThat(results).filteredOn(result -> result.kind.equals(Benchmark.LIGHT_LIST)).hasSize(Benchmark.LIGHT_LOAD_POSTS)
            .allSatisfy(result -> assertThat(result.pairsExpected).isEqualTo(100));
        assertThat(results).filteredOn(result -> result.kind.equals(Benchmark.LIGHT_RELAY)).hasSize(Benchmark.LIGHT_LOAD_POSTS);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.lost).isZero();
            assertThat(result.duplicates).isZero();
        });
        assertThat(out.resolve("results.json")).content().contains("\"warmup\":true").contains("\"case\":\"light-list\"");
        assertThat(out.resolve("results.md")).content().contains("| 100 x 10 | list |").contains("| 100 x 10 | baseline |")
            .contains("| 100 x 10 | personalized |").contains("| 100 x 10 | personalized/list (bulk) |")
            .contains("| 100 x 10 | light load through the list (5 posts, one at a time) |")
            .contains("| 100 x 10 | light load, plain James relay (5 posts, one at a time) |")
            .contains("Warm-up rounds").contains("What each figure measures");
    }

    @Test
    void clusterRunsShouldDeliverEveryPairOnceOnOneNodeAndOnTwo() throws Exception {
        Path serverJar = Path.of(System.getProperty("listkeeper.server.jar", "../assembly/target/listkeeper-server.jar"));
        List<Benchmark.CaseResult> results = new java.util.ArrayList<>();

        // what bench/run --nodes 2 does, small: a broker JVM, an embedded PostgreSQL, one node and then two
        for (int nodes : List.of(1, 2)) {
            results.addAll(Benchmark.run(List.of(new Benchmark.Shape(50, 6, "512m")), List.of("list"), 0, 1, serverJar, out, List.of(),
                false, nodes, results));
        }

        assertThat(results).extracting(result -> result.nodes).containsExactly(1, 2);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.pairsReceived).isEqualTo(300);
            assertThat(result.lost).isZero();
            assertThat(result.duplicates).isZero();
        });
        assertThat(out.resolve("results.md")).content().contains("| 50 × 6 | list | 1 |").contains("| 50 × 6 | list | 2 |")
            .contains("| | list | 2 ÷ 1 |");
    }

    @Test
    void lightLoadThroughTheListShouldPostToTheListAndTheRelayCaseToEveryMember() {
        List<String> members = List.of("m0@d0.example", "m1@d1.example");

        assertThat(Benchmark.recipients(Benchmark.LIGHT_LIST, members)).containsExactly(Benchmark.LIST_ADDRESS);
        assertThat(Benchmark.recipients("list", members)).containsExactly(Benchmark.LIST_ADDRESS);
        assertThat(Benchmark.recipients(Benchmark.LIGHT_RELAY, members)).isEqualTo(members);
        assertThat(Benchmark.recipients("baseline", members)).isEqualTo(members);
    }
}
