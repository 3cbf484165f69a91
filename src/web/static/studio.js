// The studio session page's inpaint form (loaded on that page only, so no other page carries it): paint the
// region to change over the image, on a canvas of the image's own size; after each stroke the painting
// becomes the form's PNG mask (opaque, transparent where painted, as the server expects), put in its file
// input. Without this script the form takes a typed rectangle or an uploaded mask; typing a rectangle
// here drops the painting, so the form sends one region only.
(() => {
  function maskEditors() {
    for (const form of document.querySelectorAll("form[data-inpaint]")) {
      const editor = form.querySelector("[data-mask-editor]");
      const file = form.querySelector('input[type="file"][name="mask"]');
      if (!editor || !file || typeof DataTransfer !== "function") continue;
      const width = Number(editor.getAttribute("data-width"));
      const height = Number(editor.getAttribute("data-height"));
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      canvas.setAttribute("aria-describedby", "mask-paint-hint");
      editor.querySelector(".mask-canvas").append(canvas);
      editor.hidden = false;
      const paint = canvas.getContext("2d");
      const brush = editor.querySelector("[data-mask-brush]");
      const fields = Array.from(form.querySelectorAll("[data-mask-field]"));
      let last = null;
      let painted = false;
      // Where the pointer is, in the image's own pixels (the canvas is shown scaled to the column).
      const at = (event) => {
        const box = canvas.getBoundingClientRect();
        return {
          x: ((event.clientX - box.left) / box.width) * width,
          y: ((event.clientY - box.top) / box.height) * height,
        };
      };
      const stroke = (to) => {
        paint.strokeStyle = paint.fillStyle = "#e0115f";
        paint.lineCap = "round";
        paint.lineWidth = (Number(brush?.value || 8) / 100) * Math.max(width, height);
        paint.beginPath();
        paint.moveTo((last ?? to).x, (last ?? to).y);
        paint.lineTo(to.x + (last ? 0 : 0.01), to.y);
        paint.stroke();
        last = to;
        painted = true;
      };
      const exportMask = () => {
        if (!painted) return;
        const mask = document.createElement("canvas");
        mask.width = width;
        mask.height = height;
        const ctx = mask.getContext("2d");
        ctx.fillStyle = "#000";
        ctx.fillRect(0, 0, width, height);
        ctx.globalCompositeOperation = "destination-out";
        ctx.drawImage(canvas, 0, 0);
        mask.toBlob((blob) => {
          if (!blob) return;
          const files = new DataTransfer();
          files.items.add(new File([blob], "mask.png", { type: "image/png" }));
          file.files = files.files;
          for (const f of fields) f.value = "";
        }, "image/png");
      };
      const clear = () => {
        paint.clearRect(0, 0, width, height);
        painted = false;
        file.value = "";
      };
      canvas.addEventListener("pointerdown", (event) => {
        if (event.button !== 0) return;
        canvas.setPointerCapture(event.pointerId);
        last = null;
        stroke(at(event));
      });
      canvas.addEventListener("pointermove", (event) => {
        if (canvas.hasPointerCapture(event.pointerId)) stroke(at(event));
      });
      const end = () => {
        last = null;
        exportMask();
      };
      canvas.addEventListener("pointerup", end);
      canvas.addEventListener("pointercancel", end);
      editor.querySelector("[data-mask-clear]")?.addEventListener("click", clear);
      for (const f of fields) f.addEventListener("input", () => painted && clear());
      file.addEventListener("change", () => {
        // A file the user picked replaces the painting (one the script set fires no change event).
        paint.clearRect(0, 0, width, height);
        painted = false;
      });
    }
  }

  document.addEventListener("DOMContentLoaded", maskEditors);
})();
