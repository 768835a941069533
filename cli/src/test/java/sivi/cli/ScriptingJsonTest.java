package sivi.cli;

import static org.junit.jupiter.api.Assertions.*;
import static sivi.cli.MainTest.run;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sivi.data.Json;
import sivi.repro.Experiments;
import sivi.targets.DataTargets;
import sivi.targets.Targets;

/** The listings a script reads: targets --json, methods --json (options with type and default), repro list. */
class ScriptingJsonTest {
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> array(String json) { return (List<Map<String, Object>>) Json.parse(json); }

    @Test void targetsJsonListsEveryTargetWithItsProperties() {
        MainTest.Result r = run("targets", "--json");
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> rows = array(r.out());
        assertEquals(Targets.all().size() + DataTargets.all().size(), rows.size());
        Map<String, Map<String, Object>> by = new java.util.HashMap<>();
        for (var row : rows) {
            assertEquals(List.of("name", "dimension", "description", "exact_draws", "data_target", "normalised", "presets"), List.copyOf(row.keySet()));
            by.put((String) row.get("name"), row);
        }
        Map<String, Object> banana = by.get("banana");
        assertEquals(2L, ((Number) banana.get("dimension")).longValue());
        assertEquals(Boolean.TRUE, banana.get("exact_draws"));
        assertEquals(Boolean.FALSE, banana.get("data_target"));
        assertEquals(Targets.create("banana").isNormalised(), banana.get("normalised"));
        assertTrue(((List<?>) banana.get("presets")).contains("ksivi-banana"));
        Map<String, Object> lr = by.get("lr-csv");
        assertEquals(Boolean.TRUE, lr.get("data_target"));
        assertNull(lr.get("dimension"));
    }

    @Test void methodsJsonGivesEachOptionsTypeAndDefault() {
        MainTest.Result r = run("methods", "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> ksivi = array(r.out()).stream().filter(m -> m.get("name").equals("ksivi")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked") List<Map<String, Object>> opts = (List<Map<String, Object>>) ksivi.get("options");
        Map<String, Object> lr = opts.stream().filter(o -> o.get("key").equals("lr")).findFirst().orElseThrow();
        assertEquals("double", lr.get("type"));
        assertEquals(0.001, ((Number) lr.get("default")).doubleValue());
        for (var o : opts) assertTrue(o.containsKey("type") && o.containsKey("default"), o.toString());
    }

    @Test void reproListNamesEveryExperiment() {
        MainTest.Result r = run("repro", "list");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(Experiments.ALL.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).startsWith(Experiments.ALL.get(i).name() + " "), lines.get(i));
            assertTrue(lines.get(i).endsWith(Experiments.ALL.get(i).description()), lines.get(i));
        }
        List<Map<String, Object>> json = array(run("repro", "list", "--json").out());
        assertEquals(Experiments.ALL.stream().map(Experiments.Experiment::name).toList(), json.stream().map(m -> m.get("name")).toList());
    }
}
