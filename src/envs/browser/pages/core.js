// stepwise's task core: MiniWoB++'s page protocol (seeded random, episode start, utterance, reward globals),
// written for stepwise's own pages. An episode lives in sessionStorage so a multi-page task (the shop) keeps it across pages.
(function () {
  'use strict';
  var EPISODE_KEY = 'stepwise-episode';

  // Math.seedrandom(seed): Math.random becomes a seeded generator (a string hash feeding mulberry32).
  Math.seedrandom = function (seed) {
    var text = String(seed);
    var hash = 2166136261;
    for (var i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    var state = hash >>> 0;
    Math.random = function () {
      state = (state + 0x6d2b79f5) >>> 0;
      var t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  };

  window.WOB_REWARD_GLOBAL = 0;
  window.WOB_RAW_REWARD_GLOBAL = 0;
  window.WOB_DONE_GLOBAL = false;
  window.WOB_TASK_READY = false;

  function saveEpisode(episode) {
    sessionStorage.setItem(EPISODE_KEY, JSON.stringify(episode));
  }
  function loadEpisode() {
    var text = sessionStorage.getItem(EPISODE_KEY);
    return text ? JSON.parse(text) : null;
  }
  function showUtterance(utterance) {
    var query = document.getElementById('query');
    if (query) query.textContent = utterance;
  }

  var core = (window.core = {});
  core.episode = null;

  /** Starts an episode: the page's genProblem() draws it (after Math.seedrandom) and returns the utterance. */
  core.startEpisodeReal = function () {
    window.WOB_REWARD_GLOBAL = 0;
    window.WOB_RAW_REWARD_GLOBAL = 0;
    window.WOB_DONE_GLOBAL = false;
    core.episode = { utterance: '', data: {}, keyNodes: [], done: false, reward: 0 };
    var utterance = window.genProblem(core.episode.data);
    core.episode.utterance = String(utterance);
    if (typeof window.keyNodes === 'function') core.episode.keyNodes = window.keyNodes(core.episode.data);
    saveEpisode(core.episode);
    showUtterance(core.episode.utterance);
    window.WOB_TASK_READY = true;
  };

  core.getUtterance = function () {
    return core.episode ? core.episode.utterance : '';
  };

  /** stepwise's extension: WebCanvas-form key nodes the page declares for its episode (optional). */
  core.getKeyNodes = function () {
    return core.episode ? core.episode.keyNodes : [];
  };

  /** Ends the episode once with a reward in [-1, 1] (no time discount, so a seed gives the same reward every run). */
  core.endEpisode = function (reward) {
    if (!core.episode || core.episode.done) return;
    core.episode.done = true;
    core.episode.reward = reward;
    saveEpisode(core.episode);
    window.WOB_RAW_REWARD_GLOBAL = reward;
    window.WOB_REWARD_GLOBAL = reward;
    window.WOB_DONE_GLOBAL = true;
  };

  core.saveData = function () {
    if (core.episode) saveEpisode(core.episode);
  };

  // A later page of a multi-page episode picks the episode up where the last page left it.
  var running = loadEpisode();
  if (running) {
    core.episode = running;
    window.WOB_RAW_REWARD_GLOBAL = running.reward;
    window.WOB_REWARD_GLOBAL = running.reward;
    window.WOB_DONE_GLOBAL = running.done;
    document.addEventListener('DOMContentLoaded', function () {
      showUtterance(running.utterance);
      if (typeof window.continueEpisode === 'function') window.continueEpisode(running.data);
      window.WOB_TASK_READY = true;
    });
  }
})();
