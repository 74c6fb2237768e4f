package dev.shopstream.e2e;

/** Stopping what a test started, in the order given, whatever got started and whatever fails. */
final class Processes {

    private Processes() {
    }

    static void closeAll(AutoCloseable... processes) {
        for (AutoCloseable process : processes) {
            try {
                if (process != null) {
                    process.close();
                }
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
    }
}
