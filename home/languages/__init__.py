"""Every language a first-class site: the language trees and their fallback pages, what
visitors see of a page in their language, and numbers and dates as their language writes them."""
