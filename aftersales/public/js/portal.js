// The service portal's small helpers (aftersales/www/): calls to the portal's endpoints, photos read
// in the browser, the 中文 / English switch. Messages from the server are shown as text, never as HTML.
(function () {
	const portal = (window.as_portal = window.as_portal || { messages: {} });

	function text_of(html) {
		const div = document.createElement("div");
		div.innerHTML = html || "";
		return (div.textContent || "").trim();
	}

	function server_message(data) {
		try {
			const messages = JSON.parse(data._server_messages || "[]").map((m) => {
				try {
					return text_of(JSON.parse(m).message);
				} catch (e) {
					return text_of(m);
				}
			});
			if (messages.length) return messages.join(" ");
		} catch (e) {
			/* fall through */
		}
		return text_of(data.message || data.exception || "") || portal.messages.error;
	}

	portal.call = async function (method, args) {
		const response = await fetch("/api/method/" + method, {
			method: "POST",
			headers: {
				"Content-Type": "application/json",
				Accept: "application/json",
				"X-Frappe-CSRF-Token": (window.frappe && frappe.csrf_token) || "",
			},
			body: JSON.stringify(args || {}),
		});
		let data = {};
		try {
			data = await response.json();
		} catch (e) {
			data = {};
		}
		if (!response.ok) {
			const error = new Error(server_message(data));
			error.status = response.status;
			throw error;
		}
		return data.message;
	};

	portal.show = function (element, message, kind) {
		if (!element) return;
		element.textContent = message || "";
		element.className = "as-alert as-alert-" + (kind || "danger");
		element.hidden = !message;
	};

	portal.read_photos = function (input, max) {
		const files = Array.from((input && input.files) || []);
		if (files.length > (max || 3)) return Promise.reject(new Error(portal.messages.too_many));
		return Promise.all(
			files.map(
				(file) =>
					new Promise((resolve, reject) => {
						if (file.size > 5 * 1024 * 1024)
							return reject(new Error(portal.messages.too_large));
						const reader = new FileReader();
						reader.onload = () => resolve({ name: file.name, data: reader.result });
						reader.onerror = () => reject(new Error(portal.messages.error));
						reader.readAsDataURL(file);
					})
			)
		);
	};

	// a form whose submit button posts the form's fields to `method`; `build` may add or change args
	portal.form = function (form, method, build, done) {
		if (!form) return;
		const alert = form.querySelector(".as-form-alert");
		form.addEventListener("submit", async (event) => {
			event.preventDefault();
			const button = form.querySelector("[type=submit]");
			const label = button ? button.textContent : "";
			portal.show(alert, "");
			try {
				if (button) {
					button.disabled = true;
					button.textContent = portal.messages.saving;
				}
				const args = {};
				new FormData(form).forEach((value, key) => {
					if (typeof value === "string") args[key] = value;
				});
				const result = await portal.call(method, build ? await build(args, form) : args);
				done(result, form);
			} catch (error) {
				portal.show(alert, error.message);
			} finally {
				if (button) {
					button.disabled = false;
					button.textContent = label;
				}
			}
		});
	};

	document.addEventListener("click", async (event) => {
		const link = event.target.closest(".as-lang a[data-lang]");
		if (!link) return;
		event.preventDefault();
		const lang = link.dataset.lang;
		if (portal.logged_in) {
			try {
				await portal.call("aftersales.portal.access.set_language", { lang: lang });
			} catch (e) {
				/* the cookie below still switches the page */
			}
		}
		document.cookie = "preferred_language=" + lang + "; path=/; SameSite=Lax";
		const url = new URL(window.location.href);
		url.searchParams.delete("_lang");
		window.location.href = url.toString();
	});
})();
