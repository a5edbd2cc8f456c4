package io.relais.engine.registry;

import java.time.Instant;

/** Who stored which version of a ruleset, and when; no files, so lists stay small. */
public record VersionInfo(String name, int version, Instant createdAt, String createdBy) {}
