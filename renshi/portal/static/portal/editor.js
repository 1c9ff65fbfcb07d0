// The rich-text editor (pell, vendored): edits a copy of the textarea, writes it back on submit.
// Without JavaScript the textarea stays and takes HTML; the server cleans either way.
(function () {
  var area = document.getElementById("id_body");
  var box = document.getElementById("editor");
  if (!area || !box || !window.pell) return;
  var editor = window.pell.init({
    element: box,
    defaultParagraphSeparator: "p",
    onChange: function (html) { area.value = html; },
    actions: [
      { name: "bold", title: "加粗" }, { name: "italic", title: "斜体" },
      { name: "underline", title: "下划线" }, { name: "heading2", title: "标题" },
      { name: "paragraph", title: "段落" }, { name: "olist", title: "编号列表" },
      { name: "ulist", title: "列表" }, { name: "quote", title: "引用" },
      { name: "line", title: "分隔线" }, { name: "link", title: "链接" }
    ]
  });
  editor.content.innerHTML = area.value;
  area.hidden = true;
  box.hidden = false;
})();
