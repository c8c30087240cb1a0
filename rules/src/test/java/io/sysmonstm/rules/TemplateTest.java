package io.sysmonstm.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0.95, 0.95",
    "0.9500000001, 0.95",
    "0.94999999999, 0.95",
    "0.9, 0.9",
    "0.123456, 0.1235",
    "0.000123456, 0.0001235",
    "0.99996, 1",
    "0, 0",
    "-0.0, 0",
    "1, 1",
    "8.0, 8",
    "12.3456789, 12.3457",
    "-12.34, -12.34",
    "1234567.891, 1234567.891",
    "16777216000, 16777216000",
    "1e15, 1E+15",
    "123456789012345678, 1.235E+17",
    "1.5e-7, 1.5E-7",
    "-2.5e-9, -2.5E-9",
    "NaN, n/a",
    "Infinity, +Inf",
    "-Infinity, -Inf",
  })
  void numbersAreCompact(double value, String expected) {
    assertThat(Template.number(value)).isEqualTo(expected);
  }
}
