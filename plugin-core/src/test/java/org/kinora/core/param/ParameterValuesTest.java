package org.kinora.core.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ParameterValuesTest {

    private final List<ParameterSpec> specs = List.of(
            ParameterSpec.choice("style", List.of("cartoon", "pencil", "paint"), "cartoon", "look"),
            ParameterSpec.number("strength", 0, 1, 1.0, "blend"),
            ParameterSpec.integer("seed", 0, 1000, 7, "seed"),
            ParameterSpec.bool("temporal", true, "smooth"),
            ParameterSpec.text("prompt", "", "words"));

    @Test
    void defaultsFillWhatIsNotSet() throws Exception {
        ParameterValues v = ParameterValues.resolve(specs, Map.of());
        assertEquals("cartoon", v.text("style"));
        assertEquals(1.0, v.number("strength"));
        assertEquals(7, v.integer("seed"));
        assertTrue(v.bool("temporal"));
        assertEquals("{\"style\":\"cartoon\",\"strength\":1.0,\"seed\":7,\"temporal\":true,\"prompt\":\"\"}", v.toJson());
    }

    @Test
    void userValuesAreParsedAndNormalized() throws Exception {
        ParameterValues v = ParameterValues.resolve(specs,
                Map.of("style", "Pencil", "strength", "0.25", "seed", "12", "temporal", "off", "prompt", "a \"quoted\" cat"));
        assertEquals("pencil", v.text("style"));
        assertEquals(0.25, v.number("strength"));
        assertEquals(12, v.integer("seed"));
        assertEquals(false, v.bool("temporal"));
        assertTrue(v.toJson().contains("\"prompt\":\"a \\\"quoted\\\" cat\""), v.toJson());
    }

    @Test
    void badValuesNameTheParameterAndTheRange() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> ParameterValues.resolve(specs, Map.of("strength", "1.5")));
        assertEquals("strength", e.parameter());
        assertEquals("parameter 'strength': value '1.5' is out of range 0..1", e.getMessage());
        e = assertThrows(InvalidParameterException.class, () -> ParameterValues.resolve(specs, Map.of("style", "oil")));
        assertEquals("parameter 'style': value 'oil' is not one of cartoon|pencil|paint", e.getMessage());
        e = assertThrows(InvalidParameterException.class, () -> ParameterValues.resolve(specs, Map.of("seed", "1.5")));
        assertTrue(e.getMessage().contains("not a whole number"));
        e = assertThrows(InvalidParameterException.class, () -> ParameterValues.resolve(specs, Map.of("temporal", "maybe")));
        assertTrue(e.getMessage().contains("not true or false"));
        e = assertThrows(InvalidParameterException.class, () -> ParameterValues.resolve(specs, Map.of("strength", "NaN")));
        assertTrue(e.getMessage().contains("out of range"));
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> ParameterValues.resolve(specs, Map.of("colour", "red")));
        assertEquals("unknown parameter 'colour' (parameters: style, strength, seed, temporal, prompt)", e.getMessage());
    }

    @Test
    void declarationsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> ParameterSpec.choice("style", List.of("a"), "b", "x"));
        assertThrows(IllegalArgumentException.class, () -> ParameterSpec.bool("Bad Name", true, "x"));
        assertEquals("0..1", specs.get(1).rangeText());
        assertEquals("0..1000", specs.get(2).rangeText());
    }
}
