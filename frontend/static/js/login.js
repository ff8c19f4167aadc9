// The moderator login form: POST /api/v1/login, then back to the page that asked (data-next).
// Errors in words: wrong password, throttled (with the Retry-After time), anything else.

const form = document.getElementById("login-form");
const error = document.getElementById("login-error");
const submit = document.getElementById("login-submit");
let countdown = null;

/** Return `next` if it is a path on this site (never another origin), else "/". */
export function safeNext(next) {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") && !next.includes("\\")
    ? next : "/";
}

/** Return "45 s", "3 min" for a number of seconds. */
export function waitText(seconds) {
  return seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

function showError(text) {
  error.textContent = text;
  error.hidden = false;
}

function throttled(seconds) {
  clearInterval(countdown);
  let left = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 60;
  submit.disabled = true;
  const tick = () => {
    if (left <= 0) {
      clearInterval(countdown);
      submit.disabled = false;
      showError("You can try again now.");
      return;
    }
    showError(`Too many failed attempts. Try again in ${waitText(left)}.`);
    left -= 1;
  };
  tick();
  countdown = setInterval(tick, 1000);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const username = form.elements.username.value.trim();
  const password = form.elements.password.value;
  if (!username || !password) {
    showError("Enter your username and password.");
    return;
  }
  submit.disabled = true;
  error.hidden = true;
  let response;
  try {
    response = await fetch("/api/v1/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
      credentials: "same-origin",
    });
  } catch {
    submit.disabled = false;
    showError("Cannot reach the server. Check the connection and try again.");
    return;
  }
  if (response.ok) {
    globalThis.location.assign(safeNext(document.body.dataset.next));
    return;
  }
  submit.disabled = false;
  if (response.status === 401) {
    showError("Wrong username or password.");
    form.elements.password.value = "";
    form.elements.password.focus();
  } else if (response.status === 429) {
    throttled(Number.parseInt(response.headers.get("retry-after") || "", 10));
  } else {
    showError(`Sign-in failed (error ${response.status}). Try again.`);
  }
});
