// Newsroom pages: the wangEditor 5 editor, image and cover uploads, passage quotes for comments.
// No inline handlers: everything is wired here from data attributes (CSP).
(function () {
  "use strict";
  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function upload(url, file, extra) {
    var data = new FormData();
    data.append("image", file);
    Object.keys(extra || {}).forEach(function (k) { data.append(k, extra[k]); });
    return fetch(url, { method: "POST", body: data, headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (answer) { if (answer.errno !== 0) throw new Error(answer.message || "upload failed"); return answer.data; });
  }

  // The editor: progressive enhancement over the plain textarea (which stays the form field).
  var box = document.querySelector("[data-editor]");
  var source = document.querySelector("[data-editor-source]");
  if (box && source && window.wangEditor) {
    var E = window.wangEditor;
    try { E.i18nChangeLanguage("zh-CN"); } catch (e) { /* older builds */ }
    var editor = E.createEditor({
      selector: box.querySelector("[data-editor-text]"),
      html: source.value || "<p><br></p>",
      config: {
        placeholder: "正文……",
        onChange: function (ed) { source.value = ed.getHtml(); },
        MENU_CONF: {
          uploadImage: {
            customUpload: function (file, insert) {
              return upload(box.dataset.uploadUrl, file).then(function (d) { insert(d.url, d.alt || "", ""); })
                .catch(function (err) { window.alert(err.message); });
            }
          },
          insertImage: { checkImage: function (src) { return /^https?:\/\//.test(src) || "只能插入已上传到微信的图片"; } }
        }
      },
      mode: "default"
    });
    E.createToolbar({
      editor: editor,
      selector: box.querySelector("[data-editor-toolbar]"),
      config: { excludeKeys: ["group-video", "insertVideo", "uploadVideo", "codeBlock", "fullScreen", "emotion", "todo"] },
      mode: "default"
    });
    box.classList.add("zw-ready");
    window.zwEditor = editor;
  }

  // Cover: upload, then offer the new picture as the chosen cover.
  document.querySelectorAll("[data-cover-upload]").forEach(function (input) {
    input.addEventListener("change", function () {
      if (!input.files.length) return;
      upload(input.dataset.coverUpload, input.files[0], { cover: "1" }).then(function (d) {
        var label = document.createElement("label");
        label.className = "zw-cover";
        var radio = document.createElement("input");
        radio.type = "radio"; radio.name = "cover"; radio.value = d.id; radio.checked = true;
        var img = document.createElement("img");
        img.src = d.url; img.alt = "";
        label.appendChild(radio); label.appendChild(img);
        input.parentNode.insertBefore(label, input);
      }).catch(function (err) { window.alert(err.message); });
    });
  });

  // Selecting text in the checked text fills the comment's passage.
  var marked = document.querySelector(".zw-marked");
  var quote = document.querySelector("[data-quote]");
  if (marked && quote) {
    marked.addEventListener("mouseup", function () {
      var text = String(window.getSelection() || "").trim();
      if (text) {
        quote.value = text.slice(0, 200);
        var offset = document.querySelector("[data-offset]");
        if (offset) offset.value = marked.textContent.indexOf(text);
      }
    });
  }

  // Account pickers submit themselves.
  document.querySelectorAll("select[name=account]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
