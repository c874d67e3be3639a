// The one global the site's static/js/article-editor.js reads.
import Editor from "@toast-ui/editor";

window.toastui = { Editor: Editor };
