// Observable Framework settings for the course site: offline (no CDN, no web fonts), own footer and styles.

const lessonPages = [
  {name: "1. Why consensus: 2PC blocks", path: "/lessons/1"},
  {name: "2. Basic Paxos", path: "/lessons/2"},
  {name: "3. Paxos failure cases", path: "/lessons/3"},
  {name: "4. Multi-Paxos", path: "/lessons/4"},
  {name: "5. Raft leader election", path: "/lessons/5"},
  {name: "6. Raft log replication", path: "/lessons/6"},
  {name: "7. The worked Raft example", path: "/lessons/7"},
  {name: "8. Raft safety", path: "/lessons/8"},
  {name: "9. Membership and compaction", path: "/lessons/9"},
  {name: "10. Paxos vs Raft, measured", path: "/lessons/10"},
  {name: "11. A replicated key-value store", path: "/lessons/11"},
  {name: "12. Raft in production", path: "/lessons/12"}
];

export default {
  root: "src",
  title: "Paxos & Raft, run it yourself",
  pages: [
    {name: "Lessons", open: true, pages: lessonPages},
    {name: "Tools", open: true, pages: [
      {name: "Sandbox", path: "/sandbox"},
      {name: "Trace viewer", path: "/trace-viewer"}
    ]}
  ],
  // Everything the pages need ships with the site: no Google Fonts, no CDN, no favicon request.
  globalStylesheets: [],
  style: "style.css",
  head: '<link rel="icon" href="data:,">',
  footer: "An interactive course on Paxos and Raft. Every chart is drawn from a deterministic simulation that runs in this page.",
  toc: false,
  search: false,
  pager: true,
  cleanUrls: false
};
