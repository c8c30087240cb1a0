package io.sysmonstm.rules;

import java.util.regex.Pattern;

/** JSON paths for error messages: {@code then.op}, {@code match.cpu}, {@code labels["1x"]}. */
final class FieldPath {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Longest piece of user text quoted back in a message. */
  private static final int QUOTE_LIMIT = 64;

  private FieldPath() {}

  /** Path of member {@code key} of the object at {@code path} ({@code ""} = the root). */
  static String child(String path, String key) {
    String step = PLAIN.matcher(key).matches() ? key : "[" + quote(key, Integer.MAX_VALUE) + "]";
    return join(path, step);
  }

  /** Path of element {@code i} of the array at {@code path}. */
  static String element(String path, int i) {
    return path + "[" + i + "]";
  }

  static String join(String prefix, String path) {
    if (prefix.isEmpty()) {
      return path;
    }
    if (path.isEmpty()) {
      return prefix;
    }
    return path.startsWith("[") ? prefix + path : prefix + "." + path;
  }

  /** {@code text} as a JSON string literal, cut at 64 characters. */
  static String quote(String text) {
    return quote(text, QUOTE_LIMIT);
  }

  private static String quote(String text, int limit) {
    StringBuilder b = new StringBuilder("\"");
    int n = Math.min(text.length(), limit);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    if (n < text.length()) {
      b.append("...");
    }
    return b.append('"').toString();
  }
}
