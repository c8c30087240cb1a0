package io.sysmonstm.config;

/** Invalid configuration. The message is one line that names the setting and what is wrong. */
public final class ConfigException extends RuntimeException {
  private final String setting;

  public ConfigException(String setting, String message) {
    super(message);
    this.setting = setting;
  }

  /** The flag name, without dashes, e.g. {@code interval}. */
  public String setting() {
    return setting;
  }
}
