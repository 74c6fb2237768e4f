package dev.shopstream.bench.fast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Product ids or categories as small ints, looked up from the parser's characters without making a String: a shop
 * has a few hundred to a few million distinct names, seen millions of times. One per thread.
 */
final class SymbolTable {

    private char[][] names = new char[1024][];
    private int[] ids = new int[1024];
    private final List<String> strings = new ArrayList<>();
    private int mask = 1023;

    int id(char[] text, int offset, int length) {
        int hash = hash(text, offset, length);
        int slot = hash & mask;
        while (true) {
            char[] name = names[slot];
            if (name == null) {
                return add(slot, Arrays.copyOfRange(text, offset, offset + length));
            }
            if (name.length == length && Arrays.equals(name, 0, length, text, offset, offset + length)) {
                return ids[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    int id(String text) {
        char[] chars = text.toCharArray();
        return id(chars, 0, chars.length);
    }

    String name(int id) {
        return strings.get(id);
    }

    private int add(int slot, char[] name) {
        int id = strings.size();
        names[slot] = name;
        ids[slot] = id;
        strings.add(new String(name));
        if (strings.size() * 2 > names.length) {
            grow();
        }
        return id;
    }

    private void grow() {
        char[][] oldNames = names;
        int[] oldIds = ids;
        names = new char[oldNames.length * 2][];
        ids = new int[oldNames.length * 2];
        mask = names.length - 1;
        for (int i = 0; i < oldNames.length; i++) {
            if (oldNames[i] != null) {
                int slot = hash(oldNames[i], 0, oldNames[i].length) & mask;
                while (names[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                names[slot] = oldNames[i];
                ids[slot] = oldIds[i];
            }
        }
    }

    private static int hash(char[] text, int offset, int length) {
        int h = 0;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + text[i];
        }
        return h ^ (h >>> 16);
    }
}
