package org.myna.portal.money;

/** A success shown once after the redirect (post/redirect/get): a sentence and the value it is about. */
public record Notice(String key, String value) {
}
