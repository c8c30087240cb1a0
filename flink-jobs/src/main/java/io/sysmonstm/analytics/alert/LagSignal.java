package io.sysmonstm.analytics.alert;

/**
 * A subtask of the rule evaluation saying whether it sees the pipeline lagging, sent when that
 * changes; one operator turns the signals of all subtasks into one pipeline-lag alert.
 *
 * @param subtask index of the reporting subtask
 * @param lagging whether it sees the pipeline lagging
 * @param reason why, empty when not lagging
 * @param atMs processing time of the observation
 */
public record LagSignal(int subtask, boolean lagging, String reason, long atMs) {}
