package io.sysmonstm.rules;

/**
 * Host globs: {@code *} matches any run of characters (also none), {@code ?} exactly one, every
 * other character itself (case-sensitive); the glob must match the whole host id. Interpreted
 * directly, so a rule holds nothing compiled.
 */
final class Glob {
  static final int MAX_LENGTH = 256;

  private Glob() {}

  /** Why {@code glob} is not a valid host glob, or null when it is. */
  static String problem(String glob) {
    if (glob.isEmpty() || glob.length() > MAX_LENGTH) {
      return "must be 1 to " + MAX_LENGTH + " characters, got " + glob.length();
    }
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (!isHostChar(c) && c != '*' && c != '?') {
        return "must be a glob of A-Z a-z 0-9 . _ - with * (any run) and ? (one character), got "
            + FieldPath.quote(glob);
      }
    }
    return null;
  }

  private static boolean isHostChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-';
  }

  /** Whether {@code glob} matches all of {@code text}. Linear in practice, O(n*m) at worst. */
  static boolean matches(String glob, String text) {
    int g = 0;
    int t = 0;
    int star = -1;
    int resume = 0;
    while (t < text.length()) {
      if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
        g++;
        t++;
      } else if (g < glob.length() && glob.charAt(g) == '*') {
        star = g++;
        resume = t;
      } else if (star >= 0) {
        // let the last * swallow one more character and retry
        g = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }
}
