package dev.shopstream.analytics.settings;

/** A setting with a value the job cannot run with; the message names the setting and says what is expected. */
public final class InvalidSettingException extends IllegalArgumentException {

    private final Setting setting;

    public InvalidSettingException(Setting setting, String value, String expected) {
        super("Invalid setting " + setting.label() + " = '" + value + "': " + expected);
        this.setting = setting;
    }

    /** For command-line problems that are not about one known setting, e.g. an unknown key. */
    public InvalidSettingException(String message) {
        super(message);
        this.setting = null;
    }

    /** The offending setting, or null when the problem is not about one setting. */
    public Setting setting() {
        return setting;
    }
}
