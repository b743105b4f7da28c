"""aftersales/benchmarks/intake.py: the features its diagnostic leaves out exist under the names it
patches (a renamed function would otherwise make `breakdown` measure nothing), and are put back."""

from pkgutil import resolve_name

from frappe.tests.utils import FrappeTestCase

from aftersales.benchmarks.intake import FEATURES, features_left_out


class TestIntakeDiagnostic(FrappeTestCase):
	def test_every_feature_left_out_is_a_function_of_the_app_or_frappe(self):
		for label, targets in FEATURES.items():
			for target, attribute in targets:
				with self.subTest(label, target=target, attribute=attribute):
					self.assertTrue(callable(getattr(resolve_name(target), attribute)))

	def test_left_out_only_inside_the_context(self):
		originals = {
			(target, attribute): getattr(resolve_name(target), attribute)
			for targets in FEATURES.values()
			for target, attribute in targets
		}
		with features_left_out():
			for (target, attribute), original in originals.items():
				replaced = getattr(resolve_name(target), attribute)
				self.assertIsNot(replaced, original)
				self.assertIsNone(replaced(None, None))
		for (target, attribute), original in originals.items():
			self.assertIs(getattr(resolve_name(target), attribute), original)
