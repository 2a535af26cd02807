package io.meterflow.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every flow in routes/ is tested end to end by a route test of its own. */
class RouteFilesTest {

    @Test
    void every_route_file_has_a_route_test_named_after_it() throws Exception {
        List<String> testNames;
        try (Stream<Path> tests = Files.walk(Path.of("src/test/java"))) {
            testNames = tests.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith("RouteTest.java"))
                    .toList();
        }
        List<String> missing = new ArrayList<>();
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.sorted().toList()) {
                String name = route.getFileName().toString().replace(".camel.yaml", "");
                StringBuilder camel = new StringBuilder();
                for (String part : name.split("-")) {
                    camel.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
                }
                String expected = camel + "RouteTest.java";
                if (testNames.stream().noneMatch(t -> t.endsWith(expected))) {
                    missing.add(route.getFileName() + " -> *" + expected);
                }
            }
        }
        assertEquals(List.of(), missing);
        assertTrue(testNames.size() >= 8, testNames.toString());
    }
}
