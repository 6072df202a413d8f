package io.updraft.support.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.support.problem.ProblemException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InputsTest {

    @Test
    void identifiers_that_devices_and_releases_use_pass() {
        assertThat(Inputs.isIdentifier("dev-001")).isTrue();
        assertThat(Inputs.isIdentifier("00:11:22:aa:bb:cc")).isTrue();
        assertThat(Inputs.isIdentifier("gw-firmware@1.2.0+build.7")).isTrue();
        assertThat(Inputs.isIdentifier("3f2c7b1e-5a4d-4c1b-9a4e-0d6f2b8c9e11")).isTrue();
        assertThat(Inputs.isIdentifier("DEFAULT")).isTrue();
        assertThat(Inputs.isIdentifier("a".repeat(200))).isTrue();
    }

    @Test
    void hostile_identifiers_are_refused() {
        for (String bad : new String[] { null, "", "a".repeat(201), "dev\u0000", "dev\r\nX-Injected: 1", "a/b",
                "a%2Fb", "..", ".hidden", "-dash", "a b", "a\\b", "a?b", "a#b", "dév", "a\tb", "\u0085x" }) {
            assertThat(Inputs.isIdentifier(bad)).as("%s", bad).isFalse();
        }
    }

    @Test
    void lines_and_text_refuse_controls_and_length() {
        assertThat(Inputs.isLine(null, 5)).isTrue();
        assertThat(Inputs.isLine("Grüße, 世界 🚀", 100)).isTrue();
        assertThat(Inputs.isLine("a\u0000b", 100)).isFalse();
        assertThat(Inputs.isLine("a\nb", 100)).isFalse();
        assertThat(Inputs.isLine("\u007f", 100)).isFalse();
        assertThat(Inputs.isLine("\ud800", 100)).isFalse();
        assertThat(Inputs.isLine("abcdef", 5)).isFalse();
        assertThat(Inputs.isText("line 1\r\nline 2\tend", 100)).isTrue();
        assertThat(Inputs.isText("a\u0000b", 100)).isFalse();
        assertThat(Inputs.isText("a\u001bb", 100)).isFalse();
        assertThatThrownBy(() -> Inputs.text("notes", "x\u0000", 10)).isInstanceOf(ProblemException.class)
                .hasMessageContaining("notes");
    }

    @Test
    void durations_have_bounds() {
        assertThat(Inputs.duration("soakTime", Duration.ofMinutes(30), Duration.ZERO, Duration.ofDays(30)))
                .isEqualTo(Duration.ofMinutes(30));
        assertThat(Inputs.duration("soakTime", null, Duration.ZERO, Duration.ofDays(30))).isNull();
        assertThatThrownBy(() -> Inputs.duration("soakTime", Duration.ofHours(999_999_999_999L), Duration.ZERO,
                Duration.ofDays(30))).isInstanceOf(ProblemException.class).hasMessageContaining("soakTime");
        assertThatThrownBy(() -> Inputs.duration("soakTime", Duration.ofSeconds(-1), Duration.ZERO,
                Duration.ofDays(30))).isInstanceOf(ProblemException.class);
    }

    @Test
    void bean_validation_forms_agree() {
        Identifier.Check id = new Identifier.Check();
        id.initialize(new Identifier() {
            public String message() { return ""; }
            public int max() { return 10; }
            public Class<?>[] groups() { return new Class<?>[0]; }
            @SuppressWarnings("unchecked")
            public Class<? extends jakarta.validation.Payload>[] payload() { return new Class[0]; }
            public Class<? extends java.lang.annotation.Annotation> annotationType() { return Identifier.class; }
        });
        assertThat(id.isValid(null, null)).isTrue();
        assertThat(id.isValid("dev-1", null)).isTrue();
        assertThat(id.isValid("dev-1-too-long", null)).isFalse();
        assertThat(id.isValid("dev\u0000", null)).isFalse();
    }
}
